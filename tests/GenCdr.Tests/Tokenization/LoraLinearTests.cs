using GenCdr.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Tests.Tokenization;

public class LoraLinearTests
{
    [Fact]
    public void WithZeroB_AnActiveAdapterEqualsTheBaseLayer()
    {
        manual_seed(1);
        var layer = new LoraLinear(12, 5, new Generator(2));
        layer.AddAdapter("Sports", 4, 8, 0f, new Generator(3));
        var x = randn(7, 12);
        var plain = layer.forward(x);
        layer.SetActiveAdapter("Sports");
        Assert.True(layer.forward(x).allclose(plain, rtol: 0, atol: 0));
    }

    [Fact]
    public void NonZeroB_ChangesTheOutputOnlyWhileActive_ByScaleTimesBAx()
    {
        manual_seed(1);
        var layer = new LoraLinear(12, 5, new Generator(2));
        layer.AddAdapter("Sports", 4, 8, 0f, new Generator(3));
        var adapter = layer.Adapter("Sports");
        var a = adapter.parameters().First(p => p.shape[0] == 4);
        var b = adapter.parameters().First(p => p.shape[0] == 5);
        using (no_grad()) b.fill_(0.5f);
        var x = randn(7, 12);
        var plain = layer.forward(x);
        layer.SetActiveAdapter("Sports");
        var adapted = layer.forward(x);
        var expected = plain + (8.0 / 4) * x.matmul(a.t()).matmul(b.t());
        Assert.True(adapted.allclose(expected, rtol: 1e-5, atol: 1e-5));
        layer.SetActiveAdapter(null);
        Assert.True(layer.forward(x).allclose(plain));
    }

    [Fact]
    public void FreezingTheBaseLeavesOnlyAdapterParametersTrainable()
    {
        var layer = new LoraLinear(6, 3, new Generator(2));
        layer.AddAdapter("A", 2, 2, 0.05f, new Generator(1));
        layer.AddAdapter("B", 2, 2, 0.05f, new Generator(2));
        layer.SetBaseTrainable(false);
        var trainable = layer.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.Equal(4, trainable.Count);
        Assert.All(trainable, name => Assert.StartsWith("adapters.", name));
        Assert.Throws<GenCdrException>(() => layer.SetActiveAdapter("C"));
        Assert.Throws<GenCdrException>(() => layer.AddAdapter("bad.name", 2, 2, 0, new Generator(1)));
    }
}
