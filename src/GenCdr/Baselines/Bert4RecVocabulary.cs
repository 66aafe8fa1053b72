namespace GenCdr.Baselines;

/// <summary>
/// The token ids BERT4Rec reads. Item ids of all domains live in one table, as in SASRec:
/// token 0 is [PAD], token 1 + offset(d) + i is item i of domain d, and after all items come the [MASK]
/// tokens, one per domain (paper §3.6 has a single [MASK]; one per domain lets the merged cross-domain input
/// say which domain a masked position belongs to, and changes nothing for single-domain input).
/// </summary>
public sealed class Bert4RecVocabulary
{
    public const long Pad = 0;

    readonly int[] _counts, _offsets;

    public Bert4RecVocabulary(IReadOnlyList<int> itemCounts)
    {
        if (itemCounts.Count == 0) throw new ArgumentException("at least one domain is required", nameof(itemCounts));
        _counts = itemCounts.ToArray();
        _offsets = new int[_counts.Length];
        for (int d = 1; d < _counts.Length; d++) _offsets[d] = _offsets[d - 1] + _counts[d - 1];
        ItemTokens = _counts.Sum();
    }

    public int DomainCount => _counts.Length;
    public int ItemCount(int domain) => _counts[domain];
    /// <summary>Number of item tokens over all domains.</summary>
    public int ItemTokens { get; }
    /// <summary>Size of the embedding table: [PAD], every item, one [MASK] per domain.</summary>
    public int Size => 1 + ItemTokens + DomainCount;

    /// <summary>The first token of a domain's items (its rows of the embedding table are contiguous).</summary>
    public long FirstItemToken(int domain) => 1L + _offsets[domain];
    public long Item(int domain, int item) => 1L + _offsets[domain] + item;
    public long Mask(int domain) => 1L + ItemTokens + domain;
    public bool IsMask(long token) => token > ItemTokens;
}
