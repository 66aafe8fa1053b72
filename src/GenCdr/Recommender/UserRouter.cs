using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// The user-level dynamic interest router (paper §2c): w = σ(G(h_u)) ∈ (0, 1) weighs the universal against
/// the domain-specific next-token distribution, P = w·P_univ + (1 − w)·P_dom.
/// G has a stochastic hidden layer (variational information bottleneck, as the item router of §1c):
/// z ~ N(μ(h), σ²(h)), sampled by reparameterisation in training and z = μ at inference, with
/// KL(N(μ, σ²) ‖ N(0, I)) returned for the loss term β_VIB·KL.
/// </summary>
public sealed class UserRouter : nn.Module<Tensor, Tensor>
{
    readonly Linear hidden, mean, log_var, output;
    readonly Generator _noise;

    public UserRouter(int dModel, int hiddenSize, int seed) : base(nameof(UserRouter))
    {
        hidden = nn.Linear(dModel, hiddenSize);
        mean = nn.Linear(hiddenSize, hiddenSize);
        log_var = nn.Linear(hiddenSize, hiddenSize);
        output = nn.Linear(hiddenSize, 1);
        _noise = new Generator((ulong)seed);
        RegisterComponents();
    }

    /// <summary>w for user representations h_u [N, d] → [N] (mean path; sampling only in training mode).</summary>
    public override Tensor forward(Tensor userState) => Route(userState).Weight;

    /// <summary>w [N] and the mean KL [] of the stochastic hidden layer.</summary>
    public (Tensor Weight, Tensor Kl) Route(Tensor userState)
    {
        var h = nn.functional.gelu(hidden.forward(userState));
        var mu = mean.forward(h);
        var logVar = log_var.forward(h).clamp(-10, 10);
        var z = training ? mu + randn(mu.shape, generator: _noise) * (0.5 * logVar).exp() : mu;
        var kl = 0.5 * (mu.pow(2) + logVar.exp() - 1 - logVar).sum(-1).mean();
        return (sigmoid(output.forward(z)).squeeze(-1), kl);
    }

    /// <summary>log(w·P_univ + (1 − w)·P_dom) from log-probabilities (paper §2c), computed in log space; w broadcasts
    /// against the log-probabilities (e.g. [N, 1] against [N, V]).</summary>
    public static Tensor Mix(Tensor w, Tensor universalLogProb, Tensor domainLogProb) =>
        stack([w.clamp_min(1e-6).log() + universalLogProb, (1 - w).clamp_min(1e-6).log() + domainLogProb]).logsumexp(0);

    /// <summary>
    /// h_u: the mean of the final hidden states [B, T, d] over each row's real positions up to and including
    /// column c, for every column at once (a causal running mean) → [B, T, d]. Reading it at an item's domain
    /// token gives the history representation the router sees when that item is generated.
    /// </summary>
    public static Tensor RunningMean(Tensor hidden, Tensor valid)
    {
        var weights = valid.to_type(hidden.dtype).unsqueeze(-1);
        return (hidden * weights).cumsum(1) / weights.cumsum(1).clamp_min(1);
    }
}
