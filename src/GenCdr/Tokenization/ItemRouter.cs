using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>Gate and VIB regulariser of the item router for a batch.</summary>
/// <param name="Gate">g = σ(R_θ(x)) ∈ (0, 1), [B, 1]: the weight of the universal latent.</param>
/// <param name="Kl">KL(q(h|x) || N(0, I)) summed over hidden units, batch mean (scalar).</param>
public sealed record RouterOutput(Tensor Gate, Tensor Kl);

/// <summary>The item-level dynamic semantic router R_θ (paper §1c): a 2-layer MLP whose hidden layer is a
/// variational information bottleneck (Alemi et al. 2016). Layer 1 maps x to the mean μ(x) and log-variance
/// log σ²(x) of the hidden code h; in training h = μ + σ·ε (reparameterisation), at inference h = μ.
/// Layer 2 maps GELU(h) to one logit; g = σ(logit) weighs the universal against the domain latent.</summary>
public sealed class ItemRouter : nn.Module<Tensor, RouterOutput>
{
    private readonly Linear mean;
    private readonly Linear logVariance;
    private readonly Linear output;
    private readonly Generator generator;

    public ItemRouter(int inputDim, int hidden, Generator generator) : base(nameof(ItemRouter))
    {
        mean = SeededInit.Linear(inputDim, hidden, generator);
        logVariance = SeededInit.Linear(inputDim, hidden, generator);
        output = SeededInit.Linear(hidden, 1, generator);
        this.generator = generator;
        RegisterComponents();
    }

    public override RouterOutput forward(Tensor x)
    {
        var mu = mean.forward(x);
        var logVar = logVariance.forward(x).clamp(-10, 10);
        var h = training ? mu + (0.5 * logVar).exp() * randn(mu.shape, generator: generator) : mu;
        var gate = sigmoid(output.forward(nn.functional.gelu(h)));
        // KL(N(μ, σ²) || N(0, 1)) = ½ (μ² + σ² − 1 − log σ²), summed over units.
        var kl = (0.5 * (mu.pow(2) + logVar.exp() - 1 - logVar)).sum(1).mean();
        return new RouterOutput(gate, kl);
    }
}
