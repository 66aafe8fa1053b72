namespace GenCdr.Baselines;

/// <summary>One BERT4Rec training sample: input tokens (some replaced by [MASK]) and, for every masked
/// position, the original item — the only positions the loss looks at (paper §3.6, Eq. 8).</summary>
public sealed record Bert4RecSample(long[] Tokens, Bert4RecTarget[] Targets);
