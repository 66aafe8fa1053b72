namespace GenCdr.Decoding;

/// <summary>A decoded item: its index in the target domain, its SID, and Σ log P(c_k | c_&lt;k, d).</summary>
public readonly record struct Recommendation(int Item, int[] Codes, double Score);

/// <summary>Beam search output: per user the items, best first; and the count of generated complete SIDs
/// that are not items of the target domain (always 0 with the prefix tree; the invalid rate of the ablation).</summary>
public sealed record DecodeResult(IReadOnlyList<IReadOnlyList<Recommendation>> PerUser, int Generated, int Invalid)
{
    public double InvalidRate => Generated == 0 ? 0 : (double)Invalid / Generated;
}
