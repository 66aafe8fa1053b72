using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// One STOSA block (Fan et al., "Sequential Recommendation via Stochastic Self-Attention", WWW 2022, §4.2–4.3): every
/// position is a Gaussian with a mean stream and a covariance stream (diagonal, Σ = ELU(c) + 1 of the unconstrained
/// state c). Attention weighs key j for query i by the negative squared 2-Wasserstein distance of their Gaussians,
/// A_ij = softmax_j(−W₂²(q_i, k_j) / √d_head) with W₂² = ‖μ_q − μ_k‖² + ‖Σ_q^½ − Σ_k^½‖² (Eq. 5); the output mean is
/// Σ_j A_ij μ_v,j and the output covariance Σ_j A_ij² Σ_v,j (a weighted sum of independent Gaussians, Eq. 6). Each stream
/// then has its own feed-forward network. Pre-layer-norm residuals as in <see cref="SasRecBlock"/>, GELU as in STOSA.
/// </summary>
public sealed class StosaBlock : nn.Module<Tensor, Tensor, Tensor, (Tensor Mean, Tensor Covariance)>
{
    readonly LayerNorm mean_norm, covariance_norm, mean_ffn_norm, covariance_ffn_norm;
    readonly Linear mean_query, mean_key, mean_value, mean_output, covariance_query, covariance_key, covariance_value, covariance_output;
    readonly Linear mean_ffn_in, mean_ffn_out, covariance_ffn_in, covariance_ffn_out;
    readonly Dropout dropout, attention_dropout;
    readonly int _heads, _headDim;

    public StosaBlock(SasRecConfig config) : base(nameof(StosaBlock))
    {
        int h = config.HiddenSize;
        _heads = config.Heads;
        _headDim = h / config.Heads;
        mean_norm = nn.LayerNorm(h, eps: 1e-8);
        covariance_norm = nn.LayerNorm(h, eps: 1e-8);
        mean_ffn_norm = nn.LayerNorm(h, eps: 1e-8);
        covariance_ffn_norm = nn.LayerNorm(h, eps: 1e-8);
        (mean_query, mean_key, mean_value, mean_output) = (nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h));
        (covariance_query, covariance_key, covariance_value, covariance_output) = (nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h));
        (mean_ffn_in, mean_ffn_out, covariance_ffn_in, covariance_ffn_out) = (nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h));
        dropout = nn.Dropout(config.Dropout);
        attention_dropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    /// <summary>Σ = ELU(c) + 1: STOSA's map from an unconstrained state to a positive diagonal covariance.</summary>
    public static Tensor Covariance(Tensor state) => nn.functional.elu(state, 1.0) + 1;

    /// <summary>Σ^½ of <see cref="Covariance"/>, with Σ clamped at 10⁻²⁴ first, as the STOSA authors' Wasserstein code does:
    /// ELU(c) + 1 = e^c underflows to 0 for a very negative c, where the square root's gradient is infinite and times
    /// e^c = 0 gives NaN (our Amazon run's loss turned NaN at epoch 11 without it). The clamp changes no value above 10⁻²⁴.</summary>
    public static Tensor CovarianceRoot(Tensor state) => Covariance(state).clamp_min(1e-24).sqrt();

    /// <summary>W₂² between diagonal Gaussians given as [μ ‖ Σ^½] rows: the squared Euclidean distance of those rows,
    /// ‖a‖² + ‖b‖² − 2 a·b, for every pair: a [.., N, 2d], b [.., M, 2d] → [.., N, M].</summary>
    public static Tensor SquaredWasserstein(Tensor a, Tensor b) =>
        (a.pow(2).sum(-1, keepdim: true) + b.pow(2).sum(-1).unsqueeze(-2) - 2 * a.matmul(b.transpose(-1, -2))).clamp_min(0);

    /// <param name="mean">[B, T, H] the mean stream</param>
    /// <param name="covariance">[B, T, H] the unconstrained covariance state c (Σ = ELU(c) + 1)</param>
    /// <param name="mask">bool [B, 1, T, T], true where a query position may attend a key position</param>
    public override (Tensor Mean, Tensor Covariance) forward(Tensor mean, Tensor covariance, Tensor mask)
    {
        long b = mean.shape[0], t = mean.shape[1];
        var (m, c) = (mean_norm.forward(mean), covariance_norm.forward(covariance));
        Tensor Heads(Linear projection, Tensor x) => projection.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);
        // the queries' and keys' Gaussians as [μ ‖ Σ^½], so that W₂² is a squared Euclidean distance
        var queries = cat([Heads(mean_query, m), CovarianceRoot(Heads(covariance_query, c))], -1);
        var keys = cat([Heads(mean_key, m), CovarianceRoot(Heads(covariance_key, c))], -1);
        var scores = (-SquaredWasserstein(queries, keys) / Math.Sqrt(_headDim)).masked_fill(mask.logical_not(), double.NegativeInfinity);
        var weights = attention_dropout.forward(nn.functional.softmax(scores, -1));            // [B, heads, T, T]
        Tensor Merge(Tensor x) => x.transpose(1, 2).reshape(b, t, _heads * _headDim);
        var attendedMean = Merge(weights.matmul(Heads(mean_value, m)));
        var attendedCovariance = Merge(weights.pow(2).matmul(Covariance(Heads(covariance_value, c))));
        mean = mean + dropout.forward(mean_output.forward(attendedMean));
        covariance = covariance + dropout.forward(covariance_output.forward(attendedCovariance));
        Tensor FeedForward(Tensor x, LayerNorm norm, Linear into, Linear outOf) =>
            x + dropout.forward(outOf.forward(dropout.forward(nn.functional.gelu(into.forward(norm.forward(x))))));
        return (FeedForward(mean, mean_ffn_norm, mean_ffn_in, mean_ffn_out),
            FeedForward(covariance, covariance_ffn_norm, covariance_ffn_in, covariance_ffn_out));
    }
}
