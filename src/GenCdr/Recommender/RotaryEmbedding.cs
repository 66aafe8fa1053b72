using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// Rotary position embedding (RoPE, as in Qwen2): channel pair (i, i + hd/2) of a query/key at position p
/// is rotated by the angle p·θ^(−2i/hd), so that q·k depends only on the relative position.
/// Positions are given per row, so left-padded rows start at position 0 at their first real token.
/// </summary>
public sealed class RotaryEmbedding : nn.Module
{
    readonly Tensor inv_freq;

    public RotaryEmbedding(int headDim, double theta) : base(nameof(RotaryEmbedding))
    {
        var exponents = arange(0, headDim, 2, dtype: float64) / headDim;
        inv_freq = (1.0 / pow(theta, exponents)).to_type(float32);
        RegisterComponents();
    }

    /// <summary>cos and sin tables for positions [B, T], shaped [B, 1, T, hd] to broadcast over heads.</summary>
    public (Tensor Cos, Tensor Sin) Tables(Tensor positions)
    {
        var angles = positions.to_type(float32).unsqueeze(-1) * inv_freq;   // [B, T, hd/2]
        var full = cat([angles, angles], -1).unsqueeze(1);                  // [B, 1, T, hd]
        return (full.cos(), full.sin());
    }

    /// <summary>Rotates x [B, heads, T, hd].</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        var halves = x.chunk(2, -1);
        var rotated = cat([-halves[1], halves[0]], -1);
        return x * cos + rotated * sin;
    }
}
