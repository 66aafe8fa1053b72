using GenCdr.Recommender;
using static TorchSharp.torch;

namespace GenCdr.Tests.Recommender;

public class LoraProjectionTests
{
    static readonly RecommenderConfig Config = Tiny.Config;

    [Fact]
    public void WithZeroBItEqualsTheFrozenLayer()
    {
        var layer = new LoraProjection(32, 24, bias: true, Config, domainCount: 2);
        layer.eval();
        var x = randn(3, 5, 32);
        var gate = softmax(randn(3, 5, Config.NumUniversalExperts), -1);
        var frozen = layer.forward(x);
        foreach (var selection in new[] { AdapterSelection.WithUniversal, AdapterSelection.WithDomains(tensor(new long[] { 0, 1, -1 })) })
            Assert.True(frozen.allclose(layer.Forward(x, selection, gate), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void DomainAdapterActsOnlyOnItsRowsAndUniversalExpertsFollowTheGate()
    {
        var layer = new LoraProjection(16, 8, bias: false, Config, domainCount: 2);
        layer.eval();
        using (no_grad())
            foreach (var p in layer.parameters()) p.copy_(randn(p.shape));
        var x = randn(3, 2, 16);
        var uniform = full(3, 2, Config.NumUniversalExperts, 1.0 / Config.NumUniversalExperts);
        var universalOnly = layer.Forward(x, AdapterSelection.WithUniversal, uniform);
        var withDomains = layer.Forward(x, AdapterSelection.WithDomains(tensor(new long[] { 0, -1, 1 })), uniform);
        Assert.True(universalOnly[1].allclose(withDomains[1], rtol: 0, atol: 1e-5));
        Assert.False(universalOnly[0].allclose(withDomains[0], rtol: 0, atol: 1e-3));
        Assert.False(universalOnly[2].allclose(withDomains[2], rtol: 0, atol: 1e-3));
        // a one-hot gate selects a single expert; different experts give different outputs
        var first = zeros(3, 2, Config.NumUniversalExperts); first[.., .., 0] = 1;
        var second = zeros(3, 2, Config.NumUniversalExperts); second[.., .., 1] = 1;
        Assert.False(layer.Forward(x, AdapterSelection.WithUniversal, first).allclose(layer.Forward(x, AdapterSelection.WithUniversal, second), rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void TheOutputIsTheFormulaOfPaperSection2()
    {
        // y = W x + b + (α_u/r_u) Σ_k g_k B_k A_k x + (α_d/r_d) B_d A_d x, written with plain ops
        var layer = new LoraProjection(16, 8, bias: true, Config, domainCount: 2);
        layer.eval();
        using (no_grad())
            foreach (var p in layer.parameters()) p.copy_(randn(p.shape));
        var x = randn(2, 3, 16);
        var gate = nn.functional.softmax(randn(2, 3, Config.NumUniversalExperts), -1);
        var actual = layer.Forward(x, AdapterSelection.WithDomains(tensor(new long[] { 1, -1 })), gate);
        var universal = layer.UniversalParameters().ToArray();   // A [K, r, in], B [K, out, r]
        var expected = layer.Base.forward(x);
        for (int k = 0; k < Config.NumUniversalExperts; k++)
            expected = expected + gate[.., .., k].unsqueeze(-1) * x.matmul(universal[0][k].t()).matmul(universal[1][k].t())
                * (Config.ExpertAlpha / Config.ExpertRank);
        var domain = layer.DomainParameters(1).ToArray();        // A [r, in], B [out, r]
        var domainTerm = x[0].matmul(domain[0].t()).matmul(domain[1].t()) * (Config.DomainAdapterAlpha / Config.DomainAdapterRank);
        expected[0] = expected[0] + domainTerm;
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-4));
    }
}
