namespace GenCdr.Data;

/// <summary>
/// Turns a <see cref="RawDataset"/> into a <see cref="PreparedDataset"/>:
/// <list type="number">
/// <item>per domain: drop exact duplicate lines (if configured), interactions of items without text (if
/// configured), then k-core filtering (if configured);</item>
/// <item>users are merged across domains by raw id (the paper's overlapping users);</item>
/// <item>optionally a seeded sample of <see cref="PreparationOptions.MaxUsers"/> users;</item>
/// <item>dense indices: users and each domain's items ordered by raw id (ordinal), so indices do not depend on
/// file order;</item>
/// <item>each user's merged history ordered by timestamp, ties broken by domain order and then by line order in
/// the source file (a stable order: files list same-day purchases in the order the source recorded them).</item>
/// </list>
/// The leave-last-out split is then made by <see cref="PreparedDataset"/> itself.
/// </summary>
public static class DatasetPreparer
{
    public static PreparedDataset Prepare(RawDataset raw, PreparationOptions? options = null)
    {
        options ??= new PreparationOptions();
        int domainCount = raw.Domains.Count;
        var kept = new List<Interaction>[domainCount];
        for (int d = 0; d < domainCount; d++) kept[d] = Filter(raw.Domains[d], options);

        var userIds = kept.SelectMany(list => list.Select(i => i.User)).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToList();
        if (options.MaxUsers is int max && max < userIds.Count)
        {
            if (max <= 0) throw new GenCdrException($"MaxUsers must be positive (was {max})");
            userIds = SampleUsers(userIds, max, options.Seed);
            var chosen = new HashSet<string>(userIds, StringComparer.Ordinal);
            for (int d = 0; d < domainCount; d++) kept[d] = kept[d].Where(i => chosen.Contains(i.User)).ToList();
        }
        var userIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int u = 0; u < userIds.Count; u++) userIndex[userIds[u]] = u;

        var items = new IReadOnlyList<Item>[domainCount];
        var histories = new List<(long Timestamp, int Domain, int Line, int Item)>[userIds.Count];
        for (int u = 0; u < histories.Length; u++) histories[u] = [];
        for (int d = 0; d < domainCount; d++)
        {
            var domain = raw.Domains[d];
            var known = domain.Items.ToDictionary(i => i.Id, StringComparer.Ordinal);
            var ids = kept[d].Select(i => i.Item).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            items[d] = ids.Select(id => known.TryGetValue(id, out var item) ? item : new Item(id, domain.Name, ItemText.Empty)).ToList();
            var itemIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < ids.Count; i++) itemIndex[ids[i]] = i;
            var list = kept[d];
            for (int line = 0; line < list.Count; line++)
                histories[userIndex[list[line].User]].Add((list[line].Timestamp, d, line, itemIndex[list[line].Item]));
        }
        // (timestamp, domain, line) is unique per event, so any correct sort gives the same order.
        var ordered = new List<Event[]>(histories.Length);
        foreach (var h in histories)
        {
            h.Sort(static (x, y) => x.Timestamp != y.Timestamp ? x.Timestamp.CompareTo(y.Timestamp)
                : x.Domain != y.Domain ? x.Domain.CompareTo(y.Domain) : x.Line.CompareTo(y.Line));
            var events = new Event[h.Count];
            for (int p = 0; p < events.Length; p++) events[p] = new Event(h[p].Domain, h[p].Item, h[p].Timestamp);
            ordered.Add(events);
        }
        return new PreparedDataset(raw.Name, raw.Domains.Select(d => d.Name).ToList(), items, userIds, ordered)
        {
            UserGroups = raw.UserGroups is { } groups ? userIds.Select(id => groups.GetValueOrDefault(id, "")).ToList() : null,
        };
    }

    /// <summary>One domain's interactions after duplicate, text and k-core filtering, in source order
    /// (the list index is the line order used for tie-breaks).</summary>
    static List<Interaction> Filter(DomainData domain, PreparationOptions options)
    {
        IEnumerable<Interaction> rows = domain.Interactions;
        if (options.DropExactDuplicates)
        {
            var seen = new HashSet<Interaction>();
            rows = rows.Where(seen.Add);
        }
        if (options.DropItemsWithoutText)
        {
            var withText = new HashSet<string>(domain.Items.Where(i => !i.Text.IsEmpty).Select(i => i.Id), StringComparer.Ordinal);
            rows = rows.Where(i => withText.Contains(i.Item));
        }
        var list = rows.ToList();
        return options.KCore > 1 ? KCoreFilter.Apply(list, options.KCore) : list;
    }

    /// <summary>A uniform sample of <paramref name="count"/> users (seeded Fisher–Yates over the sorted ids),
    /// returned sorted again.</summary>
    static List<string> SampleUsers(List<string> sortedIds, int count, int seed)
    {
        var ids = sortedIds.ToArray();
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            int j = random.Next(i, ids.Length);
            (ids[i], ids[j]) = (ids[j], ids[i]);
        }
        return ids.Take(count).Order(StringComparer.Ordinal).ToList();
    }
}
