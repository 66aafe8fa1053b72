using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// Each item's own vector beside its SID codes (item layout, <see cref="RecommenderConfig.ItemIdRows"/> &gt; 0; not in
/// the paper): domain d's item i reads row 1 + d·S + (i mod S) for S rows per domain; row 0 (BOS, padding, unknown) is
/// zero and never trained. The rows start at zero, so an item starts as its SID alone, and an item added after
/// training (serving) whose row was never trained stays so.
/// <para>Trained with <see cref="LazyAdamW"/> on the rows a step used: a step reads a few thousand of the ≈ 50 k rows
/// of an Amazon pair, and a dense AdamW update of the whole table cost 60 ms per step on one thread, ≈ 6× the rows' own
/// forward and backward (measured with one thread, two other jobs running), so the lazy update is what makes
/// the table affordable. The table records the rows it was asked for while gradients are on.</para>
/// </summary>
public sealed class ItemIdTable : nn.Module
{
    readonly Embedding rows;
    readonly List<Tensor> _used = [];
    readonly long _perDomain;

    public ItemIdTable(long perDomain, int domains, long dModel) : base(nameof(ItemIdTable))
    {
        _perDomain = perDomain;
        rows = nn.Embedding(1 + perDomain * domains, dModel, padding_idx: 0);
        using (no_grad()) rows.weight!.zero_();
        RegisterComponents();
    }

    /// <summary>The table's weight, as the object <c>parameters()</c> yields (TorchSharp's <c>Embedding.weight</c> makes a
    /// new wrapper on every read, which reference comparisons such as the trainer's freezing would not recognise).</summary>
    public Parameter Weight => rows.parameters().Single();

    /// <summary>The vectors of (domain, item) pairs (equal shapes) → [..., d]; zero where either is −1.</summary>
    public Tensor Lookup(Tensor domains, Tensor items)
    {
        var index = (1 + domains * _perDomain + items.remainder(_perDomain)).masked_fill(domains.lt(0).logical_or(items.lt(0)), 0);
        if (is_grad_enabled() && Weight.requires_grad) _used.Add(index.flatten());
        return rows.forward(index);
    }

    /// <summary>The distinct trainable rows (row 0 excluded) read since the last call with gradients on; forgets them.</summary>
    public Tensor TakeUsedRows()
    {
        var used = _used.Count == 0 ? empty(0, dtype: ScalarType.Int64, device: Weight.device) : cat(_used).unique().Item1;
        _used.Clear();
        return used.masked_select(used.gt(0));
    }

    /// <summary>Forgets the recorded rows without using them (a step that was skipped).</summary>
    public void ForgetUsedRows() => _used.Clear();
}
