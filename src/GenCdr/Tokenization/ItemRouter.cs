using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>Gate and VIB regulariser of the item router for a batch.</summary>
/// <param name="Gate">g = σ(R_θ(x)) ∈ (0, 1), [B, 1]: the weight of the universal latent.</param>
/// <param name="Kl">KL(q(h|x) || N(0, I)) summed over hidden units, batch mean (scalar).</param>
public sealed record RouterOutput(Tensor Gate, Tensor Kl);

/// <summary>The item-level dynamic semantic router R_θ (paper §1c): g = σ(R_θ(x)) from the item's text embedding x,
/// a <see cref="VariationalGate"/> (the VIB-regularised MLP the user router shares).</summary>
public sealed class ItemRouter : nn.Module<Tensor, RouterOutput>
{
    private readonly VariationalGate gate;

    public ItemRouter(int inputDim, int hidden, Generator generator) : base(nameof(ItemRouter))
    {
        gate = new VariationalGate(inputDim, hidden, generator);
        RegisterComponents();
    }

    public override RouterOutput forward(Tensor x)
    {
        var output = gate.forward(x);
        return new RouterOutput(output.Gate.unsqueeze(1), output.Kl);
    }
}
