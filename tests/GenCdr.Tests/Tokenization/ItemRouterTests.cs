using GenCdr.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Tests.Tokenization;

public class ItemRouterTests
{
    [Fact]
    public void InferenceUsesTheMean_TrainingSamples()
    {
        var router = new ItemRouter(10, 8, new Generator(4));
        var x = randn(16, 10);
        router.eval();
        var a = router.forward(x).Gate;
        var b = router.forward(x).Gate;
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        router.train();
        var c = router.forward(x).Gate;
        var d = router.forward(x).Gate;
        Assert.False(c.allclose(d, rtol: 0, atol: 0));
    }

    [Fact]
    public void KlIsNonNegativeAndTrainingOnItAloneDrivesItTowardsZero()
    {
        var router = new ItemRouter(10, 8, new Generator(4));
        var x = randn(64, 10);
        using var optimizer = optim.AdamW(router.parameters(), 5e-2);
        double first = 0, last = 0;
        for (int step = 0; step < 300; step++)
        {
            using var scope = NewDisposeScope();
            var kl = router.forward(x).Kl;
            Assert.True(kl.item<float>() >= -1e-5f, $"KL {kl.item<float>()}");
            optimizer.zero_grad();
            kl.backward();
            optimizer.step();
            if (step == 0) first = kl.item<float>();
            last = kl.item<float>();
        }
        Assert.True(last < 0.1 * first, $"KL {first:F3} -> {last:F3}");
    }
}
