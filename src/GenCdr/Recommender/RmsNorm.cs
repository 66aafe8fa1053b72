using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>Root-mean-square layer norm (Qwen2): x / sqrt(mean(x²) + ε) · g, no mean subtraction, no bias.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly double _eps;

    public RmsNorm(int dim, double eps) : base(nameof(RmsNorm))
    {
        weight = new Parameter(ones(dim));
        _eps = eps;
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public override Tensor forward(Tensor x) =>
        x * rsqrt(x.pow(2).mean([-1L], keepdim: true) + _eps) * weight;
}
