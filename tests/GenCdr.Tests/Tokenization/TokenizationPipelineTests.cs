using System.Text.Json;
using GenCdr.Tokenization;

namespace GenCdr.Tests.Tokenization;

public class TokenizationPipelineTests
{
    private static TokenizerConfig Fast => Synthetic.TinyConfig with { Epochs = 10, AdapterEpochs = 2 };

    [Fact]
    public void SemanticIdsAreUniquePerDomainAndTheReportSaysSo()
    {
        var domains = Synthetic.TwoDomains();
        var outcome = TokenizationPipeline.Run(Fast, domains);
        foreach (var domain in domains)
        {
            var ids = Enumerable.Range(0, domain.Count).Select(i => string.Join(',', outcome.Table.Codes(domain.Domain, i))).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            for (int i = 0; i < domain.Count; i++)
            {
                Assert.True(outcome.Table.TryGetItem(domain.Domain, outcome.Table.Codes(domain.Domain, i).ToArray(), out int back));
                Assert.Equal(i, back);
            }
        }
        var report = outcome.Report;
        Assert.Equal(2, report.Domains.Count);
        Assert.All(report.Domains, d => Assert.Equal(0, d.CollisionRateAfter));
        Assert.All(report.Domains, d => Assert.NotNull(d.Gate));
        // g is a distribution over the domain's items, not one value: a router that ignored its input would give std 0
        Assert.All(report.Domains, d => Assert.True(d.Gate!.Std > 0 && d.Gate.P5 < d.Gate.P95 && d.Gate.P5 <= d.Gate.P50 && d.Gate.P50 <= d.Gate.P95,
            $"g in {d.Domain}: {d.Gate}"));
        Assert.All(report.Domains, d => Assert.InRange(d.AdapterShift!.Value, 1e-9, 1));
        Assert.NotNull(report.FinalMtmAccuracy);
        var json = JsonSerializer.Serialize(report);
        var back2 = JsonSerializer.Deserialize<TokenizationReport>(json)!;
        Assert.Equal(report.Domains[1].CollisionRateBefore, back2.Domains[1].CollisionRateBefore);
        Assert.Contains("Clothing", report.ToText());
    }

    [Fact]
    public void SameSeedGivesTheSameSemanticIds()
    {
        var first = TokenizationPipeline.Run(Fast, Synthetic.TwoDomains());
        var second = TokenizationPipeline.Run(Fast, Synthetic.TwoDomains());
        foreach (var domain in first.Table.Domains)
            for (int i = 0; i < first.Table.ItemCount(domain); i++)
                Assert.Equal(first.Table.Codes(domain, i), second.Table.Codes(domain, i));
    }

    [Fact]
    public void NoMtmSwitchRemovesTheMaskedCodeModel()
    {
        var outcome = TokenizationPipeline.Run(Fast with { UseMtm = false, AdapterEpochs = 0 }, Synthetic.TwoDomains());
        Assert.Null(outcome.Tokenizer.RqVae.Mtm);
        Assert.DoesNotContain(outcome.Tokenizer.state_dict().Keys, k => k.Contains("mtm"));
        Assert.Null(outcome.Report.FinalMtmAccuracy);
        Assert.All(outcome.Report.UniversalEpochs, e => Assert.Equal(0, e.Losses.Mtm));
    }

    [Fact]
    public void NoItemAdapterSwitchQuantisesTheUniversalLatent()
    {
        var domains = Synthetic.TwoDomains();
        var outcome = TokenizationPipeline.Run(Fast with { UseItemAdapters = false }, domains);
        var tokenizer = outcome.Tokenizer;
        Assert.False(tokenizer.HasAdapters);
        Assert.DoesNotContain(tokenizer.state_dict().Keys, k => k.Contains("adapters") || k.StartsWith("routers"));
        Assert.Equal(0, outcome.Report.AdapterSeconds);
        Assert.All(outcome.Report.Domains, d => Assert.Null(d.ReconAdapted));
        Assert.All(outcome.Report.Domains, d => Assert.Null(d.Gate));
        Assert.All(outcome.Report.Domains, d => Assert.Null(d.AdapterShift));
        var (_, gates) = tokenizer.EncodeWithGates("Sports", domains[0].Embeddings);
        Assert.All(gates, g => Assert.Equal(1f, g));
        // the codes are those of the universal RQ-VAE pass E(x) -> Q
        using var x = EmbeddingTensors.ToTensor(domains[0].Embeddings, tokenizer.Config.InputDim, "test");
        var universal = tokenizer.RqVae.forward(x).Quantization.Codes.data<long>().ToArray();
        var codes = tokenizer.Encode("Sports", domains[0].Embeddings).SelectMany(c => c).Select(c => (long)c).ToArray();
        Assert.Equal(universal, codes);
    }

    [Fact]
    public void WithItemAdaptersTheFusedLatentDiffersFromTheUniversalOne()
    {
        var domains = Synthetic.TwoDomains();
        var tokenizer = TokenizationPipeline.Run(Fast, domains).Tokenizer;
        using var x = EmbeddingTensors.ToTensor(domains[1].Embeddings, tokenizer.Config.InputDim, "test");
        using var _ = TorchSharp.torch.no_grad();
        var (fused, gate, _) = tokenizer.FusedLatent("Clothing", x);
        var universal = tokenizer.UniversalLatent(x);
        Assert.True((fused - universal).abs().max().item<float>() > 1e-4f);
        Assert.True(gate.min().item<float>() > 0 && gate.max().item<float>() < 1);
    }

    [Fact]
    public void TheAdapterShiftStartsAtZeroAndIsTheRelativeMoveOfTheLatents()
    {
        var domains = Synthetic.TwoDomains();
        using var untrained = new TokenizerTrainer(Fast, null).CreateTokenizer(domains);
        Assert.Equal(0, untrained.AdapterShift("Clothing", domains[1].Embeddings)); // LoRA's B starts at zero

        var tokenizer = TokenizationPipeline.Run(Fast, domains).Tokenizer;
        using var x = EmbeddingTensors.ToTensor(domains[1].Embeddings, tokenizer.Config.InputDim, "test");
        tokenizer.eval();
        using var _ = TorchSharp.torch.no_grad();
        var universal = tokenizer.UniversalLatent(x);
        double byHand = (tokenizer.DomainLatent("Clothing", x) - universal).pow(2).sum().item<float>() / universal.pow(2).sum().item<float>();
        Assert.True(byHand > 0);
        Assert.Equal(byHand, tokenizer.AdapterShift("Clothing", domains[1].Embeddings), 5);
    }

    /// <summary>The report's r(g, adapter advantage): null while the adapter has not moved (E_d = E, so no item is
    /// reconstructed better by it), then Pearson's r of each item's gate and its reconstruction error under E minus under E_d.</summary>
    [Fact]
    public void The_gate_is_correlated_with_the_adapters_per_item_reconstruction_advantage()
    {
        var domains = Synthetic.TwoDomains();
        using var untrained = new TokenizerTrainer(Fast, null).CreateTokenizer(domains);
        Assert.Null(untrained.GateVersusAdapterAdvantage("Clothing", domains[1].Embeddings));

        var outcome = TokenizationPipeline.Run(Fast, domains);
        var tokenizer = outcome.Tokenizer;
        using var x = EmbeddingTensors.ToTensor(domains[1].Embeddings, tokenizer.Config.InputDim, "test");
        tokenizer.eval();
        using var _ = TorchSharp.torch.no_grad();
        TorchSharp.torch.Tensor Error(TorchSharp.torch.Tensor z) => (x - tokenizer.RqVae.FromLatent(x, z).Reconstruction).pow(2).sum(-1);
        var advantage = (Error(tokenizer.UniversalLatent(x)) - Error(tokenizer.DomainLatent("Clothing", x))).data<float>().Select(v => (double)v).ToArray();
        var gates = tokenizer.EncodeWithGates("Clothing", domains[1].Embeddings).Gates.Select(g => (double)g).ToArray();
        Assert.Contains(advantage, a => a != 0);
        double byHand = GenCdr.Decoding.RouterDiagnostics.Pearson(gates, advantage);
        Assert.Equal(byHand, tokenizer.GateVersusAdapterAdvantage("Clothing", domains[1].Embeddings)!.Value, 4);
        Assert.Equal(byHand, outcome.Report.Domains[1].GateVersusAdapterAdvantage!.Value, 4);
    }
}
