using GenCdr.Data;

namespace GenCdr.Serving;

/// <summary>One item of a request's history: a raw item id, optionally its domain (otherwise the first domain
/// holding that id) and when it happened.</summary>
public sealed record HistoryEntry(string Item, string? Domain = null, long? Timestamp = null);

/// <summary>Turns a request's history (raw ids, oldest first) into catalog events. Items the model does not know
/// cannot be tokens of the prompt, so they are skipped and reported, one warning each, instead of failing the
/// whole request. Timestamps are carried along but the model reads only the order of the history (its prompt is
/// the items' SIDs, paper §2), so entries must come oldest first.</summary>
public static class HistoryResolver
{
    public static (Event[] Events, List<string> Warnings) Resolve(ItemCatalog catalog, IEnumerable<HistoryEntry> history)
    {
        var events = new List<Event>();
        var warnings = new List<string>();
        foreach (var entry in history)
        {
            int domain = -1;
            if (entry.Domain is not null && (domain = catalog.FindDomain(entry.Domain)) < 0)
            {
                warnings.Add($"history item '{entry.Item}': unknown domain '{entry.Domain}'; skipped");
                continue;
            }
            if (string.IsNullOrEmpty(entry.Item) || !catalog.TryFindItem(entry.Item, domain, out var item))
            {
                warnings.Add(entry.Domain is null
                    ? $"history item '{entry.Item}' is not in the catalog; skipped"
                    : $"history item '{entry.Item}' is not in the catalog of {catalog.DomainNames[domain]}; skipped");
                continue;
            }
            events.Add(new Event(item.Domain, item.Index, entry.Timestamp ?? 0));
        }
        return (events.ToArray(), warnings);
    }
}
