using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// Every domain's items as code tokens, long [N_d, L] per domain: the rows from which the item layout builds the
/// item vectors it scores (<see cref="GenerativeRecommender.ItemVectors"/>). Read from the live SID lists, so an item
/// appended after training (serving's `items add`) is scored from its next call on.
/// </summary>
public sealed class ItemCodeTable : IDisposable
{
    readonly SidVocabulary _vocabulary;
    readonly IReadOnlyList<IReadOnlyList<int[]>> _sids;
    readonly Tensor?[] _tokens;

    /// <param name="sids">sids[d][i]: the SID of item i of domain d</param>
    public ItemCodeTable(SidVocabulary vocabulary, IReadOnlyList<IReadOnlyList<int[]>> sids)
    {
        if (sids.Count != vocabulary.DomainCount) throw new ArgumentException("one SID list per domain is required");
        _vocabulary = vocabulary;
        _sids = sids;
        _tokens = new Tensor?[sids.Count];
    }

    public int DomainCount => _sids.Count;
    public int ItemCount(int domain) => _sids[domain].Count;
    /// <summary>The SID of item <paramref name="item"/> of <paramref name="domain"/>.</summary>
    public int[] Codes(int domain, int item) => _sids[domain][item];

    /// <summary>long [N_d, L]: the code tokens of every item of <paramref name="domain"/>.</summary>
    public Tensor Tokens(int domain, Device? device = null)
    {
        var list = _sids[domain];
        if (_tokens[domain] is not { } cached || cached.shape[0] != list.Count || (device is not null && !Devices.Same(cached.device, device)))
        {
            int levels = _vocabulary.Levels;
            var flat = new long[list.Count * levels];
            for (int i = 0; i < list.Count; i++)
                for (int m = 0; m < levels; m++) flat[i * levels + m] = _vocabulary.CodeToken(m, list[i][m]);
            _tokens[domain]?.Dispose();
            _tokens[domain] = cached = tensor(flat, [list.Count, levels], device: device).DetachFromDisposeScope();
        }
        return cached;
    }

    public void Dispose() { foreach (var t in _tokens) t?.Dispose(); }
}
