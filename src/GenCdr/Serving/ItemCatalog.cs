using GenCdr.Data;

namespace GenCdr.Serving;

/// <summary>An item of the catalog: its domain index, its index in the domain, and the item itself.</summary>
public readonly record struct CatalogItem(int Domain, int Index, Item Item);

/// <summary>
/// What a served model knows about items and users: every item of every domain (by index and by raw id),
/// the known users and their full histories (all events, held-out ones included: at serving time everything
/// a user did is history). Items can be appended (new items without retraining); users are read-only.
/// Not thread-safe: the serving code mutates it only on its single worker.
/// </summary>
public sealed class ItemCatalog
{
    readonly List<Item>[] _items;
    readonly Dictionary<string, int>[] _indexById;
    readonly Dictionary<string, int> _userById;

    public string Name { get; }
    public IReadOnlyList<string> DomainNames { get; }
    public IReadOnlyList<string> UserIds { get; }
    public IReadOnlyList<Event[]> Histories { get; }
    /// <summary>Items per domain the catalog was exported with; later ones were added.</summary>
    public IReadOnlyList<int> TrainedItemCounts { get; }

    public ItemCatalog(PreparedDataset data, IReadOnlyList<int>? trainedItemCounts = null)
    {
        Name = data.Name;
        DomainNames = data.DomainNames;
        UserIds = data.UserIds;
        Histories = data.Histories;
        _items = data.Items.Select(items => items.ToList()).ToArray();
        _indexById = new Dictionary<string, int>[data.DomainCount];
        for (int d = 0; d < data.DomainCount; d++)
        {
            _indexById[d] = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < _items[d].Count; i++) _indexById[d].TryAdd(_items[d][i].Id, i);
        }
        _userById = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int u = 0; u < data.UserCount; u++) _userById.TryAdd(data.UserIds[u], u);
        TrainedItemCounts = trainedItemCounts?.ToArray() ?? _items.Select(i => i.Count).ToArray();
    }

    public int DomainCount => DomainNames.Count;
    public int ItemCount(int domain) => _items[domain].Count;
    public Item Item(int domain, int index) => _items[domain][index];

    /// <summary>The index of a domain by name (case-insensitive), or −1.</summary>
    public int FindDomain(string? name)
    {
        if (name is null) return -1;
        for (int d = 0; d < DomainNames.Count; d++)
            if (string.Equals(DomainNames[d], name, StringComparison.OrdinalIgnoreCase)) return d;
        return -1;
    }

    /// <summary>An item by raw id, in <paramref name="domain"/> or (−1) in the first domain that has it.</summary>
    public bool TryFindItem(string id, int domain, out CatalogItem item)
    {
        for (int d = domain >= 0 ? domain : 0; d < (domain >= 0 ? domain + 1 : DomainCount); d++)
        {
            if (_indexById[d].TryGetValue(id, out int index))
            {
                item = new CatalogItem(d, index, _items[d][index]);
                return true;
            }
        }
        item = default;
        return false;
    }

    public bool TryFindUser(string id, out int user) => _userById.TryGetValue(id, out user);

    /// <summary>Appends an item to its domain and returns its index; ids are unique within a domain.</summary>
    public int Add(int domain, Item item)
    {
        if (_indexById[domain].ContainsKey(item.Id))
            throw new GenCdrException($"domain '{DomainNames[domain]}' already has an item '{item.Id}'");
        int index = _items[domain].Count;
        _items[domain].Add(item);
        _indexById[domain][item.Id] = index;
        return index;
    }

    /// <summary>The catalog as a prepared data set, for saving with <see cref="PreparedDatasetStore"/>.</summary>
    public PreparedDataset ToDataset() =>
        new(Name, DomainNames, _items.Select(i => (IReadOnlyList<Item>)i.ToArray()).ToArray(), UserIds, Histories);
}
