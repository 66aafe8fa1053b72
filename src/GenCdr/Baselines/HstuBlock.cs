using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// One sequential transduction unit of HSTU (Zhai et al., "Actions Speak Louder than Words", ICML 2024, Eq. 1–3; the
/// official generative-recommenders code, <c>SequentialTransductionUnitJagged</c>), in place of SASRec's block:
/// <code>
/// U, V, Q, K = Split(φ1(f1(LayerNorm(X))))                       φ1 = SiLU, f1: H → 4H
/// A(X)V     = (φ2(Q Kᵀ + rab_{p,t}) / N) V                       φ2 = SiLU, causal; N = MaxLength (pointwise, no softmax)
/// Y         = X + f2(Dropout(LayerNorm(A(X)V) ⊙ U))              f2: H → H
/// </code>
/// The attention is pointwise: each weight is a SiLU of its own score, normalised by the fixed length N rather than by
/// a softmax over the row, so the intensity of a user's engagement is not normalised away. N is fixed
/// (<see cref="SasRecConfig.MaxLength"/>) so that training windows and shorter inference batches see the same scale.
/// </summary>
public sealed class HstuBlock : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    readonly LayerNorm input_norm, attention_norm;
    readonly Linear uvqk, output;
    readonly Dropout dropout;
    readonly int _heads, _headDim, _length;

    public HstuBlock(SasRecConfig config) : base(nameof(HstuBlock))
    {
        int h = config.HiddenSize;
        _heads = config.Heads;
        _headDim = h / config.Heads;
        _length = config.MaxLength;
        input_norm = nn.LayerNorm(h, eps: 1e-6);
        attention_norm = nn.LayerNorm(h, eps: 1e-6);
        uvqk = nn.Linear(h, 4 * h);
        output = nn.Linear(h, h);
        dropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    /// <param name="x">[B, T, H]</param>
    /// <param name="mask">bool [B, 1, T, T], true where a query position may attend a key position</param>
    /// <param name="bias">[B, 1, T, T]: the relative position and time bias (<see cref="HstuRelativeBias"/>)</param>
    public override Tensor forward(Tensor x, Tensor mask, Tensor bias)
    {
        long b = x.shape[0], t = x.shape[1];
        var parts = nn.functional.silu(uvqk.forward(input_norm.forward(x))).chunk(4, -1);
        Tensor Heads(Tensor part) => part.view(b, t, _heads, _headDim).transpose(1, 2);            // [B, heads, T, hd]
        var (u, v, q, k) = (parts[0], Heads(parts[1]), Heads(parts[2]), Heads(parts[3]));
        var weights = nn.functional.silu(q.matmul(k.transpose(-1, -2)) + bias) / _length * mask.to_type(x.dtype);
        var attended = weights.matmul(v).transpose(1, 2).reshape(b, t, _heads * _headDim);
        return x + output.forward(dropout.forward(attention_norm.forward(attended) * u));
    }
}
