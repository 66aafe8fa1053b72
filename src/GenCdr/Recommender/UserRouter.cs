using GenCdr.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// The user-level dynamic interest router of one target domain (paper §2c): w = σ(G(h_u)) ∈ (0, 1) weighs the
/// universal against the domain-specific next-item distribution, P = w·P_univ + (1 − w)·P_dom (<see cref="Mix"/>).
/// G is the <see cref="VariationalGate"/> the item router also uses (VIB hidden layer, sampled in training, its mean at
/// inference, KL for the loss term β_VIB·KL).
/// <para>The paper writes one G; we keep one per target domain (<see cref="GenerativeRecommender.Router"/>), because
/// stage 4b trains domain after domain and one shared router ended fitted to the last domain (issue #12). h_u is
/// <see cref="State"/>: the running mean of the universal pass's hidden states and the hidden state at the predicting
/// position itself, so that two users with the same average history but a different recent context can differ.</para>
/// </summary>
public sealed class UserRouter : nn.Module<Tensor, Tensor>
{
    readonly VariationalGate gate;

    /// <param name="dModel">the backbone's width d; the router reads 2d features (<see cref="State"/>)</param>
    public UserRouter(int dModel, int hiddenSize, int seed) : base(nameof(UserRouter))
    {
        gate = new VariationalGate(2L * dModel, hiddenSize, new Generator((ulong)seed));
        RegisterComponents();
    }

    /// <summary>Restarts the VIB noise from <paramref name="seed"/>.</summary>
    public void Reseed(ulong seed) => gate.Reseed(seed);

    /// <summary>w for user states h_u [N, 2d] → [N] (mean path; sampling only in training mode).</summary>
    public override Tensor forward(Tensor userState) => Route(userState).Weight;

    /// <summary>w [N] and the mean KL [] of the stochastic hidden layer.</summary>
    public (Tensor Weight, Tensor Kl) Route(Tensor userState)
    {
        var output = gate.forward(userState);
        return (output.Gate, output.Kl);
    }

    /// <summary>log(w·P_univ + (1 − w)·P_dom) from log-probabilities (paper §2c), computed in log space; w broadcasts
    /// against the log-probabilities (e.g. [N, 1] against [N, V]).</summary>
    public static Tensor Mix(Tensor w, Tensor universalLogProb, Tensor domainLogProb) =>
        stack([w.clamp_min(1e-6).log() + universalLogProb, (1 - w).clamp_min(1e-6).log() + domainLogProb]).logsumexp(0);

    /// <summary>
    /// h_u for every column at once [B, T, 2d]: the causal running mean of the final hidden states [B, T, d] over each
    /// row's real positions up to and including the column, beside the column's own hidden state. Read at the
    /// position that predicts an item, it is what the router sees when that item is generated, in training and decoding.
    /// </summary>
    public static Tensor State(Tensor hidden, Tensor valid) => cat([RunningMean(hidden, valid), hidden], -1);

    /// <summary>The mean of the final hidden states [B, T, d] over each row's real positions up to and including each
    /// column (a causal running mean) → [B, T, d].</summary>
    static Tensor RunningMean(Tensor hidden, Tensor valid)
    {
        var weights = valid.to_type(hidden.dtype).unsqueeze(-1);
        return (hidden * weights).cumsum(1) / weights.cumsum(1).clamp_min(1);
    }
}
