namespace GenCdr.Data;

/// <summary>The text an item carries. Any field may be empty: items without text stay usable
/// (their embedding comes from an empty string) and are counted in the statistics.</summary>
public sealed record ItemText(string Title, string Brand, IReadOnlyList<string> Categories, string Description)
{
    public static readonly ItemText Empty = new("", "", Array.Empty<string>(), "");
    public bool IsEmpty => Title.Length == 0 && Brand.Length == 0 && Categories.Count == 0 && Description.Length == 0;
}

/// <summary>An item of one domain, identified by its raw id (e.g. an Amazon ASIN).</summary>
public sealed record Item(string Id, string Domain, ItemText Text);

/// <summary>One user–item event as read from a source file; users are shared across domains by raw id.</summary>
public readonly record struct Interaction(string User, string Item, long Timestamp);

/// <summary>Everything read for one domain: its items and interactions, before any filtering.</summary>
public sealed class DomainData(string name, IReadOnlyList<Item> items, IReadOnlyList<Interaction> interactions)
{
    public string Name { get; } = name;
    public IReadOnlyList<Item> Items { get; } = items;
    public IReadOnlyList<Interaction> Interactions { get; } = interactions;
}

/// <summary>A multi-domain data set as read, before preparation.</summary>
public sealed class RawDataset(string name, IReadOnlyList<DomainData> domains)
{
    public string Name { get; } = name;
    public IReadOnlyList<DomainData> Domains { get; } = domains;
    /// <summary>Optional: a group name per user id, known from how the data was made (the built-in data set records each
    /// user's designed kind), for diagnostics only; no model reads it.</summary>
    public IReadOnlyDictionary<string, string>? UserGroups { get; init; }
}

/// <summary>An event of a prepared data set: item <see cref="Item"/> (an index into the items of
/// <see cref="Domain"/>) at <see cref="Timestamp"/>.</summary>
public readonly record struct Event(int Domain, int Item, long Timestamp);

/// <summary>A held-out event: position <see cref="Position"/> of user <see cref="User"/>'s merged history,
/// an event of <see cref="Domain"/>.</summary>
public readonly record struct HeldOut(int User, int Domain, int Position);

public enum Split { Validation, Test }
