using GenCdr.Data;

namespace GenCdr.Tests.Data;

/// <summary>Small in-memory raw data sets for the preparation tests.</summary>
static class Fixtures
{
    public static Item Titled(string id, string domain, string title) =>
        new(id, domain, new ItemText(title, "", Array.Empty<string>(), ""));

    public static DomainData Domain(string name, IEnumerable<Item> items, params (string User, string Item, long Time)[] rows) =>
        new(name, items.ToList(), rows.Select(r => new Interaction(r.User, r.Item, r.Time)).ToList());
}
