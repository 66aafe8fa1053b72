namespace GenCdr.Data;

/// <summary>
/// Reads the files of a list of <see cref="DomainSpec"/>s into a <see cref="RawDataset"/>.
/// A domain's items are the items that occur in its interactions (ordered by raw id); each gets its text
/// from the item text file, or <see cref="ItemText.Empty"/> when the file has no row for it (such items stay
/// usable). Text rows for items without interactions are ignored (a full Amazon meta file covers far more
/// items than the 5-core reviews); when an item has several rows, the first wins.
/// </summary>
public static class DataLoader
{
    static readonly string[] JoinedInteractionsHeader = ["reviewerID", "asin", "unixReviewTime"];
    static readonly string[] JoinedItemsHeader = ["asin", "title"];

    /// <param name="name">The data set's name; default: the domain names joined by '-'.</param>
    public static RawDataset Load(IEnumerable<DomainSpec> specs, string dataRoot, string? name = null)
    {
        var list = specs.ToList();
        if (list.Count == 0) throw new GenCdrException("no domains to load");
        var duplicate = list.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new GenCdrException($"domain '{duplicate.Key}' is listed twice");
        var domains = list.Select(s => LoadDomain(s, dataRoot)).ToList();
        return new RawDataset(name ?? string.Join('-', list.Select(s => s.Name.ToLowerInvariant())), domains);
    }

    public static DomainData LoadDomain(DomainSpec spec, string dataRoot)
    {
        string interactionsPath = Path.Combine(dataRoot, spec.InteractionsPath);
        var interactions = ReadInteractions(spec, interactionsPath).ToList();
        var itemIds = new HashSet<string>(interactions.Select(i => i.Item), StringComparer.Ordinal);

        var texts = new Dictionary<string, ItemText>(StringComparer.Ordinal);
        if (spec.ItemTextPath is not null)
            foreach (var (id, text) in ReadItemTexts(spec, Path.Combine(dataRoot, spec.ItemTextPath)))
                if (itemIds.Contains(id)) texts.TryAdd(id, text);

        var items = itemIds.Order(StringComparer.Ordinal)
            .Select(id => new Item(id, spec.Name, texts.GetValueOrDefault(id, ItemText.Empty)))
            .ToList();
        return new DomainData(spec.Name, items, interactions);
    }

    static IEnumerable<Interaction> ReadInteractions(DomainSpec spec, string path) => spec.Format switch
    {
        DataFormat.Amazon2014 or DataFormat.Amazon2018 => AmazonReviewReader.Read(path),
        DataFormat.Tsv => DelimitedInteractionReader.Read(path, spec.SourceDomain ?? spec.Name),
        DataFormat.SharedJoinedTsv => DelimitedInteractionReader.Read(path, spec.SourceDomain ?? spec.Name, JoinedInteractionsHeader),
        _ => throw new GenCdrException($"domain '{spec.Name}': format {spec.Format} holds item text, not interactions"),
    };

    static IEnumerable<(string ItemId, ItemText Text)> ReadItemTexts(DomainSpec spec, string path) =>
        (spec.ItemTextFormat ?? spec.Format) switch
        {
            DataFormat.Amazon2014 => AmazonMetaReader.Read(path, AmazonRelease.Amazon2014),
            DataFormat.Amazon2018 => AmazonMetaReader.Read(path, AmazonRelease.Amazon2018),
            DataFormat.Tsv => ItemTextTableReader.Read(path),
            DataFormat.SharedJoinedTsv => ItemTextTableReader.Read(path, JoinedItemsHeader),
            DataFormat.IdGenRecPhrases => IdGenRecPhraseReader.Read(path),
            var f => throw new GenCdrException($"domain '{spec.Name}': unknown item text format {f}"),
        };
}
