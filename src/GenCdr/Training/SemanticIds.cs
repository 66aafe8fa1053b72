using GenCdr.Data;
using GenCdr.Decoding;
using GenCdr.Recommender;
using GenCdr.Tokenization;

namespace GenCdr.Training;

/// <summary>
/// The semantic IDs of a prepared data set as the recommender uses them: per domain, item index → SID
/// (c_1 … c_M plus the disambiguation code), the recommender's token vocabulary, and one prefix trie per
/// domain (paper §3). Built from a <see cref="SemanticIdTable"/> whose items are in the data set's order.
/// </summary>
public sealed class SemanticIds
{
    public SemanticIdTable Table { get; }
    public SidVocabulary Vocabulary { get; }
    public IReadOnlyList<PrefixTrie> Tries { get; }
    /// <summary>Every item's text as prompt tokens when the recommender's prompt carries it (null otherwise; <see cref="For"/>).</summary>
    public ItemPromptText? PromptText { get; private set; }
    readonly List<int[]>[] _codes; // [domain][item] → SID
    readonly string[] _domainNames;

    public SemanticIds(PreparedDataset data, SemanticIdTable table, int codebookSize)
    {
        Table = table;
        _domainNames = data.DomainNames.ToArray();
        _codes = new List<int[]>[data.DomainCount];
        int maxCode = codebookSize - 1;
        for (int d = 0; d < data.DomainCount; d++)
        {
            string domain = data.DomainNames[d];
            int n = data.Items[d].Count;
            if (table.ItemCount(domain) < n)
                throw new GenCdrException($"the semantic ID table has {table.ItemCount(domain)} items of {domain}, the data set {n}: tokenize this data set again");
            _codes[d] = new List<int[]>(n);
            for (int i = 0; i < n; i++)
            {
                if (table.ItemId(domain, i) != data.Items[d][i].Id)
                    throw new GenCdrException($"the semantic ID table's item {i} of {domain} is {table.ItemId(domain, i)}, the data set's {data.Items[d][i].Id}: tokenize this data set again");
                _codes[d].Add(table.Codes(domain, i).ToArray());
                maxCode = Math.Max(maxCode, _codes[d][i].Max());
            }
        }
        Vocabulary = new SidVocabulary(data.DomainCount, table.CodeLength, maxCode + 1);
        Tries = _codes.Select(c => PrefixTrie.Build(table.CodeLength, c)).ToArray();
    }

    /// <summary>The SIDs of <paramref name="data"/> as run configuration <paramref name="config"/> uses them: with
    /// <see cref="RecommenderConfig.PromptItemText"/>, every item's prompt text too (<see cref="ItemPromptText"/>; its
    /// <see cref="RecommenderConfig.PretrainedBackbone"/> must be the folder's actual path).</summary>
    public static SemanticIds For(PreparedDataset data, SemanticIdTable table, RunConfig config)
    {
        var sids = new SemanticIds(data, table, config.Tokenizer.CodebookSize);
        // the text tokens are numbered after the SID vocabulary, which the constructor derives from the codes
        sids.PromptText = ItemPromptText.For(data.Items, config.Recommender, sids.Vocabulary.Size, config.Text.IncludeDescription);
        return sids;
    }

    public int[] Codes(int domain, int item) => _codes[domain][item];

    /// <summary>Every domain's SIDs: Codes[d][i] is the SID of item i of domain d.</summary>
    public IReadOnlyList<IReadOnlyList<int[]>> All => _codes;

    /// <summary>Items of a domain the recommender can generate (the data set's plus any added since).</summary>
    public int ItemCount(int domain) => _codes[domain].Count;

    /// <summary>
    /// The SID for a new item of <paramref name="domain"/> with tokenizer codes <paramref name="codes"/>: those codes plus the
    /// smallest disambiguation code that no item of the domain has with the same codes and that some item of the trained
    /// model had (<paramref name="trainedItemCounts"/>: the first items of each domain, the ones it was trained on). A code
    /// no trained item had selects an embedding row the recommender never trained, a random vector that would place the
    /// item anywhere. Changes nothing; throws when no such code is free.
    /// </summary>
    public int[] FreeSid(int domain, IReadOnlyList<int> codes, IReadOnlyList<int> trainedItemCounts)
    {
        if (codes.Count != Vocabulary.Levels - 1)
            throw new GenCdrException($"a new item has {codes.Count} tokenizer codes, the model's items have {Vocabulary.Levels - 1}");
        var trained = new SortedSet<int>();
        for (int d = 0; d < _codes.Length; d++)
            for (int i = 0; i < Math.Min(trainedItemCounts[d], _codes[d].Count); i++) trained.Add(_codes[d][i][^1]);
        var sid = codes.Append(0).ToArray();
        foreach (int value in trained)
        {
            sid[^1] = value;
            if (!Tries[domain].TryGetItem(sid, out _)) return sid;
        }
        throw new GenCdrException(
            $"domain '{_domainNames[domain]}': the {trained.Count} disambiguation codes the model was trained with are all taken by items with " +
            $"codes ({string.Join(", ", codes)}); retrain with a larger codebook (CodebookSize) or more levels to add more such items");
    }

    /// <summary>Makes a new item recommendable without retraining: its SID (from <see cref="FreeSid"/>) joins the SID
    /// table and the domain's prefix trie together, so the constrained beam search can generate it at once. The SID must
    /// fit the trained vocabulary and be unique in the domain; every check runs before anything changes. Returns the
    /// item's index, the next after the domain's last item. With <see cref="PromptText"/>, the item's text
    /// (<paramref name="text"/>, required then) is tokenized before anything changes and joins it too.</summary>
    public int AddItem(int domain, string itemId, int[] codes, ItemText? text = null)
    {
        if ((uint)domain >= (uint)_codes.Length) throw new ArgumentOutOfRangeException(nameof(domain));
        if (codes.Length != Vocabulary.Levels)
            throw new GenCdrException($"a new item's SID has {codes.Length} codes, the model's items have {Vocabulary.Levels}");
        if (codes.Any(c => c < 0 || c >= Vocabulary.CodesPerLevel))
            throw new GenCdrException($"a new item's SID ({string.Join(", ", codes)}) has a code outside the model's vocabulary [0, {Vocabulary.CodesPerLevel})");
        if (Tries[domain].TryGetItem(codes, out int other))
            throw new GenCdrException($"a new item's SID ({string.Join(", ", codes)}) already belongs to item {other} of the domain");
        int item = _codes[domain].Count;
        if (Table.ItemCount(_domainNames[domain]) != item)
            throw new InvalidOperationException($"the SID table and the tries disagree on the number of items of domain {domain}");
        int[]? prompt = PromptText is null ? null
            : PromptText.Tokenize(text ?? throw new ArgumentException("the model's prompt carries item text: a new item needs its text", nameof(text)));
        if (PromptText is not null && PromptText.ItemCount(domain) != item)
            throw new InvalidOperationException($"the SID table and the prompt text disagree on the number of items of domain {domain}");
        Table.Add(_domainNames[domain], itemId, codes);
        if (prompt is not null) PromptText!.Add(domain, prompt);
        Tries[domain].Add(codes, item);
        _codes[domain].Add(codes.ToArray());
        return item;
    }

    /// <summary>A history of events as SID items.</summary>
    public SidItem[] ToSidItems(IEnumerable<Event> events) =>
        events.Select(e => new SidItem(e.Domain, _codes[e.Domain][e.Item], PromptText?.Of(e.Domain, e.Item))).ToArray();

    /// <summary>GenCDR over these SIDs and tries (and prompt text).</summary>
    public GenCdrRecommender Recommender(GenerativeRecommender model, string name = "GenCDR", ScoringPasses? passes = null) =>
        new(model, _codes, name, passes, Tries, PromptText);
}
