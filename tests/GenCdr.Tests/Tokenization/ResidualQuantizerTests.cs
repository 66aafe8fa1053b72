using GenCdr.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Tests.Tokenization;

public class ResidualQuantizerTests
{
    [Fact]
    public void PicksTheNearestCodeAtEveryLevel_AndCodeVectorsPlusFinalResidualSumToTheLatent()
    {
        manual_seed(2);
        var quantizer = new ResidualQuantizer(3, 16, 8, 0.25f, new Generator(5));
        var z = randn(50, 8);
        var output = quantizer.forward(z);
        var codes = output.Codes.data<long>().ToArray();
        var residual = z.clone();
        for (int m = 0; m < 3; m++)
        {
            var codebook = quantizer.Codebooks[m].detach();
            // brute force: distance of every residual to every code
            var distances = (residual.unsqueeze(1) - codebook.unsqueeze(0)).pow(2).sum(2);
            var nearest = distances.argmin(1).data<long>().ToArray();
            for (int i = 0; i < 50; i++) Assert.Equal(nearest[i], codes[i * 3 + m]);
            residual = residual - codebook.index_select(0, output.Codes[.., m]);
        }
        var sum = output.CodeVectors.detach().sum(1) + residual;
        Assert.True(sum.allclose(z, rtol: 1e-5, atol: 1e-5));
        Assert.True(output.Quantized.allclose(output.CodeVectors.detach().sum(1), atol: 1e-5));
        Assert.True(quantizer.Lookup(output.Codes).allclose(output.CodeVectors.detach().sum(1), atol: 1e-5));
    }

    [Fact]
    public void StraightThroughGradientsReachTheEncoder_AndQuantLossReachesTheCodebooks()
    {
        var config = Synthetic.TinyConfig;
        var rq = new RqVae(config, new Generator(1));
        var output = rq.forward(randn(20, config.InputDim));
        (output.ReconLoss + output.Quantization.QuantLoss).backward();
        foreach (var layer in rq.Encoder.Layers)
            Assert.True(layer.Base.weight!.grad is { } g && g.abs().sum().item<float>() > 0, "encoder weight got no gradient");
        Assert.True(rq.Quantizer.Codebooks.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void KMeansInitialisationUsesMostCodesOfEveryLevel()
    {
        var quantizer = new ResidualQuantizer(2, 16, 8, 0.25f, new Generator(5));
        var z = tensor(Synthetic.Clustered(400, 8, 16, 0.3f, 4).SelectMany(r => r).ToArray(), [400, 8]);
        quantizer.InitializeWithKMeans(z, 10, new Generator(6));
        var codes = quantizer.forward(z).Codes;
        for (int m = 0; m < 2; m++)
        {
            int used = codes[.., m].data<long>().ToArray().Distinct().Count();
            Assert.True(used >= 12, $"level {m + 1} uses only {used} codes");
        }
    }

    [Fact]
    public void ReseedMovesDeadCodesOntoGivenResiduals()
    {
        var quantizer = new ResidualQuantizer(1, 8, 4, 0.25f, new Generator(5));
        var residuals = ones(10, 4) * 7;
        quantizer.Reseed(0, [2, 5], residuals, new Generator(1));
        Assert.True(quantizer.Codebooks[0][2].allclose(ones(4) * 7));
        Assert.True(quantizer.Codebooks[0][5].allclose(ones(4) * 7));
        Assert.False(quantizer.Codebooks[0][0].allclose(ones(4) * 7));
    }
    [Fact]
    public void TheUnexplainedShareIsScaleFree_WhileTheQuantLossGrowsWithTheLatentScale()
    {
        var quantizer = new ResidualQuantizer(2, 16, 8, 0.25f, new Generator(5));
        var z = tensor(Synthetic.Clustered(400, 8, 16, 0.3f, 4).SelectMany(r => r).ToArray(), [400, 8]);
        quantizer.InitializeWithKMeans(z, 10, new Generator(6));
        var small = quantizer.forward(z);
        double share = ResidualQuantizer.UnexplainedShare(z, small);
        double byHand = (z - small.CodeVectors.detach().sum(1)).pow(2).sum().item<float>() / z.pow(2).sum().item<float>();
        Assert.Equal(byHand, share, 4);
        Assert.InRange(share, 1e-4, 0.5);

        // the same latents and codebooks ten times larger: the same codes, 100× the loss, the same share
        using (no_grad()) quantizer.Codebooks.mul_(10);
        var large = quantizer.forward(z * 10);
        Assert.Equal(small.Codes.data<long>().ToArray(), large.Codes.data<long>().ToArray());
        Assert.Equal(100 * small.QuantLoss.item<float>(), large.QuantLoss.item<float>(), 100 * small.QuantLoss.item<float>() * 1e-3);
        Assert.Equal(share, ResidualQuantizer.UnexplainedShare(z * 10, large), 4);
    }
}
