using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// A left-padded batch of <see cref="ItemSequence"/>s as tensors (the item layout's <see cref="TokenBatch"/>):
/// every sequence ends in the last column, rotary positions count from each row's BOS, and <see cref="Valid"/>
/// masks the padding out of attention.
/// </summary>
public sealed class ItemBatch : IDisposable
{
    /// <summary>long [B, T, L]: the code tokens of each position's item (PAD at BOS and padding).</summary>
    public Tensor CodeTokens { get; }
    /// <summary>long [B, T]: each position's item's domain token (BOS at position 0, PAD at padding).</summary>
    public Tensor DomainTokens { get; }
    /// <summary>long [B, T]: the domain of the item each position predicts; D (the "none" row) where nothing follows.</summary>
    public Tensor NextDomain { get; }
    /// <summary>long [B, T]: the target item's index in its domain, −1 where no loss.</summary>
    public Tensor TargetItem { get; }
    /// <summary>long [B, T]: the target's domain, −1 where no loss.</summary>
    public Tensor TargetDomain { get; }
    /// <summary>long [B, T]: each position's input item's index in its domain, −1 at BOS, padding or unknown.</summary>
    public Tensor Items { get; }
    /// <summary>long [B, T]: each position's input item's domain, −1 at BOS and padding.</summary>
    public Tensor ItemDomains { get; }
    public Tensor Valid { get; }
    public Tensor Positions { get; }
    public int Count { get; }
    public int Width { get; }

    ItemBatch(Tensor codes, Tensor domains, Tensor next, Tensor targetItem, Tensor targetDomain, Tensor items, Tensor itemDomains,
        Tensor valid, Tensor positions)
    {
        CodeTokens = codes; DomainTokens = domains; NextDomain = next; TargetItem = targetItem; TargetDomain = targetDomain;
        Items = items; ItemDomains = itemDomains;
        Valid = valid; Positions = positions;
        Count = (int)codes.shape[0];
        Width = (int)codes.shape[1];
    }

    /// <param name="device">where the tensors go (the model's device; default: the CPU)</param>
    public static ItemBatch Create(IReadOnlyList<ItemSequence> sequences, SidVocabulary vocabulary, Device? device = null)
    {
        if (sequences.Count == 0) throw new ArgumentException("a batch needs at least one sequence");
        int b = sequences.Count, w = sequences.Max(s => s.Length), levels = vocabulary.Levels, none = vocabulary.DomainCount;
        var codes = new long[b * w * levels];
        var domains = new long[b * w];
        var next = new long[b * w];
        var targetItem = new long[b * w];
        var targetDomain = new long[b * w];
        var items = new long[b * w];
        var itemDomains = new long[b * w];
        var valid = new bool[b * w];
        var positions = new long[b * w];
        Array.Fill(next, none);
        Array.Fill(targetItem, -1);
        Array.Fill(targetDomain, -1);
        Array.Fill(items, -1);
        Array.Fill(itemDomains, -1);
        for (int i = 0; i < b; i++)
        {
            var s = sequences[i];
            int pad = w - s.Length;
            for (int t = 0; t < s.Length; t++)
            {
                int k = i * w + pad + t;
                valid[k] = true;
                positions[k] = t;
                domains[k] = s.Domains[t] < 0 ? SidVocabulary.Bos : vocabulary.DomainToken(s.Domains[t]);
                itemDomains[k] = s.Domains[t];
                items[k] = s.Items[t];
                if (s.Codes[t] is { } c)
                    for (int m = 0; m < levels; m++) codes[k * levels + m] = vocabulary.CodeToken(m, c[m]);
                if (s.NextDomain[t] >= 0) next[k] = s.NextDomain[t];
                if (s.TargetItem[t] >= 0) { targetItem[k] = s.TargetItem[t]; targetDomain[k] = s.NextDomain[t]; }
            }
        }
        return new ItemBatch(
            tensor(codes, [b, w, levels], device: device), tensor(domains, [b, w], device: device), tensor(next, [b, w], device: device),
            tensor(targetItem, [b, w], device: device), tensor(targetDomain, [b, w], device: device),
            tensor(items, [b, w], device: device), tensor(itemDomains, [b, w], device: device),
            tensor(valid, [b, w], device: device), tensor(positions, [b, w], device: device));
    }

    public void Dispose()
    {
        CodeTokens.Dispose(); DomainTokens.Dispose(); NextDomain.Dispose(); TargetItem.Dispose(); TargetDomain.Dispose();
        Items.Dispose(); ItemDomains.Dispose();
        Valid.Dispose(); Positions.Dispose();
    }
}
