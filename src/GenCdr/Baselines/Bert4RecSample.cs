namespace GenCdr.Baselines;

/// <summary>A masked position of a training sample and the item hidden there (an item of <see cref="Domain"/>).</summary>
public readonly record struct Bert4RecTarget(int Position, int Domain, int Item);

/// <summary>One BERT4Rec training sample: input tokens (some replaced by [MASK]) and, for every masked
/// position, the original item — the only positions the loss looks at (paper §3.6, Eq. 8).</summary>
public sealed record Bert4RecSample(long[] Tokens, Bert4RecTarget[] Targets);
