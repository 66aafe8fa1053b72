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
    readonly List<int[]>[] _codes; // [domain][item] → SID

    public SemanticIds(PreparedDataset data, SemanticIdTable table, int codebookSize)
    {
        Table = table;
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

    public int[] Codes(int domain, int item) => _codes[domain][item];

    /// <summary>Every domain's SIDs: Codes[d][i] is the SID of item i of domain d.</summary>
    public IReadOnlyList<IReadOnlyList<int[]>> All => _codes;

    /// <summary>Items of a domain the recommender can generate (the data set's plus any added since).</summary>
    public int ItemCount(int domain) => _codes[domain].Count;

    /// <summary>Makes a new item (tokenized after training, e.g. by <see cref="ItemTokenizer.AssignNew"/>)
    /// recommendable without retraining: its SID joins the domain's prefix trie, so the constrained beam search
    /// can generate it at once. The SID must fit the trained vocabulary (the model has no tokens for larger
    /// codes) and be unique in the domain. Returns the item's index, the next after the domain's last item.</summary>
    public int AddItem(int domain, int[] codes)
    {
        if ((uint)domain >= (uint)_codes.Length) throw new ArgumentOutOfRangeException(nameof(domain));
        if (codes.Length != Vocabulary.Levels)
            throw new GenCdrException($"a new item's SID has {codes.Length} codes, the model's items have {Vocabulary.Levels}");
        if (codes.Any(c => c < 0 || c >= Vocabulary.CodesPerLevel))
            throw new GenCdrException($"a new item's SID ({string.Join(", ", codes)}) has a code outside the model's vocabulary [0, {Vocabulary.CodesPerLevel})");
        if (Tries[domain].TryGetItem(codes, out int other))
            throw new GenCdrException($"a new item's SID ({string.Join(", ", codes)}) already belongs to item {other} of the domain");
        int item = _codes[domain].Count;
        Tries[domain].Add(codes, item);
        _codes[domain].Add(codes.ToArray());
        return item;
    }

    /// <summary>A history of events as SID items.</summary>
    public SidItem[] ToSidItems(IEnumerable<Event> events) =>
        events.Select(e => new SidItem(e.Domain, _codes[e.Domain][e.Item])).ToArray();

    /// <summary>GenCDR over these SIDs and tries.</summary>
    public GenCdrRecommender Recommender(GenerativeRecommender model, string name = "GenCDR", ScoringPasses? passes = null) =>
        new(model, _codes, name, passes, Tries);
}
