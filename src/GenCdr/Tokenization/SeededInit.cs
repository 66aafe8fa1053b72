using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>Initialisation and dropout drawn from an explicit generator. TorchSharp's nn.Linear and nn.Dropout use
/// the process-wide generator, which other code (and parallel tests) also consume, so the same seed would not give
/// the same tokenizer. Everything random in this folder goes through a <see cref="Generator"/> instead, on the device of
/// the tensor drawn for (<see cref="Devices.On"/>).</summary>
public static class SeededInit
{
    /// <summary>A linear layer initialised like PyTorch's default (weight and bias ~ U(−1/√fan_in, 1/√fan_in),
    /// which is Kaiming-uniform with a = √5) from <paramref name="generator"/>.</summary>
    public static Linear Linear(long inFeatures, long outFeatures, Generator generator, bool bias = true)
    {
        var layer = nn.Linear(inFeatures, outFeatures, hasBias: bias);
        double bound = 1.0 / Math.Sqrt(inFeatures);
        Uniform(layer.weight!, bound, generator);
        if (bias) Uniform(layer.bias!, bound, generator);
        return layer;
    }

    /// <summary>Fills <paramref name="tensor"/> with U(−bound, bound) drawn from <paramref name="generator"/>.
    /// (nn.init.uniform_/normal_ of TorchSharp 0.107 ignore their generator argument: measured, two generators with
    /// the same seed gave different values, so they are not used.)</summary>
    public static void Uniform(Tensor tensor, double bound, Generator generator)
    {
        using var _ = no_grad();
        using var values = rand(tensor.shape, dtype: tensor.dtype, device: tensor.device, generator: generator.On(tensor.device));
        tensor.copy_(values * (2 * bound) - bound);
    }

    /// <summary>Fills <paramref name="tensor"/> with N(0, std²) drawn from <paramref name="generator"/>.</summary>
    public static void Normal(Tensor tensor, double std, Generator generator)
    {
        using var _ = no_grad();
        using var values = randn(tensor.shape, dtype: tensor.dtype, device: tensor.device, generator: generator.On(tensor.device));
        tensor.copy_(values * std);
    }

    /// <summary>Inverted dropout with probability <paramref name="rate"/> (identity when not training).</summary>
    public static Tensor Dropout(Tensor x, double rate, bool training, Generator generator)
    {
        if (!training || rate <= 0) return x;
        var keep = rand(x.shape, device: x.device, generator: generator.On(x.device)).ge(rate);
        return x * keep / (1 - rate);
    }
}
