using GenCdr.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Tests.Tokenization;

public class MaskedCodeModelTests
{
    private static readonly TokenizerConfig Config = Synthetic.TinyConfig with { LatentDim = 8, CodebookSize = 16, Levels = 3 };

    [Fact]
    public void MasksAtLeastOnePositionAndNeverAll()
    {
        var model = new MaskedCodeModel(Config with { MaskRate = 0.5f }, new Generator(3));
        var mask = model.SampleMask(2000);
        var perItem = mask.sum(1);
        Assert.True(perItem.min().item<long>() >= 1);
        Assert.True(perItem.max().item<long>() <= 2);
        // every position gets masked sometimes
        Assert.All(mask.any(0).data<bool>().ToArray(), Assert.True);
        var rare = new MaskedCodeModel(Config with { MaskRate = 0f }, new Generator(3)).SampleMask(500);
        Assert.True(rare.sum(1).eq(1).all().item<bool>());
    }

    [Fact]
    public void LearnsTheGrammarOfStructuredCodes_LossFallsAndAccuracyBeatsChance()
    {
        // Structured codes: c2 = (c1 + 3) mod K, c3 = (2·c1) mod K — any one code determines the others.
        manual_seed(5);
        var generator = new Generator(9);
        var codebooks = randn(3, 16, 8, generator: generator);
        var model = new MaskedCodeModel(Config, generator);
        using var optimizer = optim.AdamW(model.parameters(), 3e-3);
        double firstLoss = 0, lastLoss = 0, lastAccuracy = 0;
        for (int step = 0; step < 150; step++)
        {
            using var scope = NewDisposeScope();
            var c1 = randint(0, 16, [128], dtype: int64, generator: generator);
            var codes = stack([c1, (c1 + 3).remainder(16), (c1 * 2).remainder(16)], 1);
            var vectors = stack(Enumerable.Range(0, 3).Select(m => codebooks[m].index_select(0, codes[.., m])).ToArray(), 1);
            var output = model.forward(vectors, codes);
            optimizer.zero_grad();
            output.Loss.backward();
            optimizer.step();
            if (step == 0) firstLoss = output.Loss.item<float>();
            lastLoss = output.Loss.item<float>();
            lastAccuracy = output.Correct.item<long>() / (double)output.Masked.item<long>();
        }
        Assert.True(lastLoss < 0.3 * firstLoss, $"MTM loss {firstLoss:F3} -> {lastLoss:F3}");
        Assert.True(lastAccuracy > 0.5, $"accuracy {lastAccuracy:P0} (chance is 1/16)");
    }

    [Fact]
    public void MtmGradientReachesTheCodebookVectors()
    {
        var model = new MaskedCodeModel(Config, new Generator(1));
        var codebook = randn(3, 16, 8).requires_grad_(true);
        var codes = randint(0, 16, [32, 3], dtype: int64);
        var vectors = stack(Enumerable.Range(0, 3).Select(m => codebook[m].index_select(0, codes[.., m])).ToArray(), 1);
        model.forward(vectors, codes).Loss.backward();
        Assert.True(codebook.grad!.abs().sum().item<float>() > 0);
    }
}
