using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>A gate g ∈ (0, 1) per row and the KL term of its variational information bottleneck.</summary>
/// <param name="Gate">g [N]</param>
/// <param name="Kl">KL(q(h|x) ‖ N(0, I)) summed over the hidden units, mean over the rows (scalar)</param>
public sealed record GateOutput(Tensor Gate, Tensor Kl);

/// <summary>
/// The router shape both of the paper's routers share, the item router R_θ (§1c) and the user router G (§2c): a 2-layer
/// MLP whose hidden layer is a variational information bottleneck (Alemi et al. 2016):
/// x̂ = LayerNorm(x); h ~ q(h|x) = N(μ(x̂), σ²(x̂)) by reparameterisation in training, h = μ at inference;
/// g = σ(w·GELU(h) + b), with the loss term β_VIB·KL(q(h|x) ‖ N(0, I)).
/// <para>Two choices make g able to depend on x (issue #12; without them g was 0.495 ± 0.002 on every item):
/// the input is normalised, because an L2-normalised 384-d MiniLM vector has entries of ≈ 0.05, which made μ(x) ≈ 0.04
/// in size; and the posterior starts narrow (log σ² = <see cref="InitialLogVariance"/>, σ ≈ 0.05) rather than at the
/// prior's σ = 1, where the sampled noise was 30× the signal and the only gradient that survived was the KL's pull of μ
/// to 0. β_VIB·KL still widens σ where the task does not need the information.</para>
/// </summary>
public sealed class VariationalGate : nn.Module<Tensor, GateOutput>
{
    /// <summary>log σ² of the posterior at initialisation (σ = e^−3 ≈ 0.05).</summary>
    public const double InitialLogVariance = -6;

    readonly Linear mean, log_variance, output;
    readonly Generator _generator;
    readonly long _inputDim;

    public VariationalGate(long inputDim, long hidden, Generator generator) : base(nameof(VariationalGate))
    {
        _inputDim = inputDim;
        _generator = generator;
        mean = SeededInit.Linear(inputDim, hidden, generator);
        log_variance = SeededInit.Linear(inputDim, hidden, generator);
        output = SeededInit.Linear(hidden, 1, generator);
        using (no_grad())
        {
            log_variance.weight!.zero_();
            log_variance.bias!.fill_(InitialLogVariance);
        }
        RegisterComponents();
    }

    /// <summary>Restarts the VIB noise from <paramref name="seed"/> (each training epoch does, for an exact resume).</summary>
    public void Reseed(ulong seed) => Devices.Reseed(_generator, (long)seed);

    public override GateOutput forward(Tensor x)
    {
        var normalised = nn.functional.layer_norm(x, [_inputDim]);
        var mu = mean.forward(normalised);
        var logVar = log_variance.forward(normalised).clamp(-10, 10);
        var h = training ? mu + (0.5 * logVar).exp() * randn(mu.shape, device: mu.device, generator: _generator.On(mu.device)) : mu;
        var gate = sigmoid(output.forward(nn.functional.gelu(h))).squeeze(-1);
        // KL(N(μ, σ²) ‖ N(0, 1)) = ½ (μ² + σ² − 1 − log σ²), summed over the hidden units
        var kl = (0.5 * (mu.pow(2) + logVar.exp() - 1 - logVar)).sum(-1).mean();
        return new GateOutput(gate, kl);
    }
}
