using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>One low-rank update (α/r)·B·A·dropout(x) for a linear layer (paper §1b, LoRA, Hu et al. 2022).
/// B starts at zero so an untrained adapter changes nothing; A starts Kaiming-uniform as in the reference
/// LoRA implementation.</summary>
public sealed class LoraAdapter : nn.Module<Tensor, Tensor>
{
    private readonly Parameter A;
    private readonly Parameter B;
    private readonly float dropoutRate;
    private readonly Generator generator;
    private readonly double scale;

    public LoraAdapter(long inFeatures, long outFeatures, int rank, float alpha, float dropoutRate, Generator generator)
        : base(nameof(LoraAdapter))
    {
        A = new Parameter(empty(rank, inFeatures));
        B = new Parameter(zeros(outFeatures, rank));
        // Kaiming-uniform with a = √5, i.e. U(−1/√fan_in, 1/√fan_in), drawn from our generator.
        SeededInit.Uniform(A, 1.0 / Math.Sqrt(inFeatures), generator);
        this.dropoutRate = dropoutRate;
        this.generator = generator;
        scale = alpha / rank;
        RegisterComponents();
    }

    public int Rank => (int)A.shape[0];

    public override Tensor forward(Tensor x) =>
        nn.functional.linear(nn.functional.linear(SeededInit.Dropout(x, dropoutRate, training, generator), A), B) * scale;
}
