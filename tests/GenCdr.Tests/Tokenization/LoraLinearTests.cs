using GenCdr.Recommender;
using GenCdr.Tests.Recommender;
using GenCdr.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Tests.Tokenization;

/// <summary>The one LoRA module, as the recommender's backbone (universal experts + domain adapters, [B, T, in] inputs)
/// and the tokenizer's encoder (domain adapters only, [N, in] inputs, seeded) use it.</summary>
public class LoraLinearTests
{
    static readonly RecommenderConfig Config = Tiny.Config;

    static LoraLinear Backbone(int inFeatures, int outFeatures, bool bias) =>
        BackboneProjection.Create(inFeatures, outFeatures, bias, Config, domainCount: 2);

    /// <summary>A backbone projection in evaluation mode with every parameter (B included) random, so every path acts.</summary>
    static LoraLinear RandomBackbone(int inFeatures, int outFeatures, bool bias)
    {
        var layer = Backbone(inFeatures, outFeatures, bias);
        layer.eval();
        using (no_grad())
            foreach (var p in layer.parameters()) p.copy_(randn(p.shape));
        return layer;
    }

    [Fact]
    public void WithZeroBItEqualsTheFrozenLayer()
    {
        var layer = Backbone(32, 24, bias: true);
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
        var layer = RandomBackbone(16, 8, bias: false);
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
        var layer = RandomBackbone(16, 8, bias: true);
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

    /// <summary>The tokenizer's use: 2-D rows, one domain adapter per row, B·A·x scaled by α/r, added after construction
    /// (and then visible to optimisers and state dicts), the same values from the same seed.</summary>
    [Fact]
    public void On_rows_a_domain_adapter_adds_scale_times_BAx_and_adapters_added_later_are_registered()
    {
        var layer = new LoraLinear(12, 5, bias: true, dropout: 0, new Generator(2));
        layer.AddDomainAdapter(rank: 4, alpha: 8);
        layer.AddDomainAdapter(rank: 4, alpha: 8);
        Assert.Contains("dom_A.1", layer.named_parameters().Select(p => p.name));
        Assert.Equal(2 + 4, layer.parameters().Count());
        var again = new LoraLinear(12, 5, bias: true, dropout: 0, new Generator(2));
        again.AddDomainAdapter(4, 8);
        Assert.Equal(layer.DomainParameters(0).First().data<float>().ToArray(), again.DomainParameters(0).First().data<float>().ToArray());

        var (a, b) = (layer.DomainParameters(1).First(), layer.DomainParameters(1).Last());
        using (no_grad()) b.fill_(0.5f);
        var x = randn(7, 12);
        var rows = tensor(new long[] { 1, 1, 0, -1, 1, 0, 1 });
        var adapted = layer.Forward(x, AdapterSelection.WithDomains(rows, universal: false), null);
        var plain = layer.forward(x);
        var expected = plain + (8.0 / 4) * x.matmul(a.t()).matmul(b.t()) * rows.eq(1).unsqueeze(1);
        Assert.True(adapted.allclose(expected, rtol: 1e-5, atol: 1e-5));
        Assert.Throws<GenCdrException>(() => layer.AddDomainAdapter(rank: 2, alpha: 8));
        Assert.Throws<InvalidOperationException>(() => layer.Forward(x, AdapterSelection.WithUniversal, ones(7, 1)));
    }

    [Fact]
    public void Freezing_an_mlps_base_leaves_only_its_adapters_trainable()
    {
        var encoder = new MlpEncoder(new TokenizerConfig { InputDim = 6, HiddenDims = [4], LatentDim = 3 }, new Generator(2));
        encoder.AddAdapter("A", 2, 2);
        encoder.AddAdapter("B", 2, 2);
        encoder.SetBaseTrainable(false);
        var trainable = encoder.parameters().Where(p => p.requires_grad).ToHashSet(ReferenceEqualityComparer.Instance);
        Assert.Equal(8, trainable.Count);                     // 2 adapters × 2 layers × (A, B)
        Assert.True(trainable.SetEquals(encoder.AllAdapterParameters()));
        Assert.Throws<GenCdrException>(() => encoder.SetActiveAdapter("C"));
        Assert.Throws<GenCdrException>(() => encoder.AddAdapter("A", 2, 2));
        var x = randn(5, 6);
        encoder.SetActiveAdapter("B");
        Assert.True(encoder.forward(x).allclose(encoder.Layers.Aggregate(x, (h, l) => l == encoder.Layers[^1] ? l.forward(h) : nn.functional.relu(l.forward(h)))),
            "with B = 0 an active adapter changes nothing");
    }
}
