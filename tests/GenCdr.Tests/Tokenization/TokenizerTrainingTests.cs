using GenCdr.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Tests.Tokenization;

/// <summary>Trains the tiny tokenizer once (both stages) and shares it between the tests of this class.</summary>
public sealed class TrainedTinyTokenizer
{
    public TrainedTinyTokenizer()
    {
        Domains = Synthetic.TwoDomains();
        var trainer = new TokenizerTrainer(Synthetic.TinyConfig, p => Progress.Add(p));
        Tokenizer = trainer.CreateTokenizer(Domains);
        InitialRecon = Tokenizer.ReconstructionLoss("Sports", Domains[0].Embeddings, useAdapter: false);
        Universal = trainer.TrainUniversal(Tokenizer, Domains);
        AfterStage1 = StateDict(Tokenizer);
        Adapters = trainer.TrainAdapters(Tokenizer, Domains);
        AfterStage2 = StateDict(Tokenizer);
    }

    public IReadOnlyList<DomainItems> Domains { get; }
    public ItemTokenizer Tokenizer { get; }
    public double InitialRecon { get; }
    public UniversalTrainingResult Universal { get; }
    public IReadOnlyList<AdapterTrainingResult> Adapters { get; }
    public Dictionary<string, Tensor> AfterStage1 { get; }
    public Dictionary<string, Tensor> AfterStage2 { get; }
    public List<TrainingProgress> Progress { get; } = new();

    public static Dictionary<string, Tensor> StateDict(nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
}

public class TokenizerTrainingTests(TrainedTinyTokenizer trained) : IClassFixture<TrainedTinyTokenizer>
{
    [Fact]
    public void Stage1LowersReconstructionLossAndKeepsCodebookUsageAboveAFloor()
    {
        var epochs = trained.Universal.Epochs;
        Assert.Equal(Synthetic.TinyConfig.Epochs, epochs.Count);
        Assert.True(epochs[^1].Losses.Recon < 0.5 * epochs[0].Losses.Recon,
            $"recon {epochs[0].Losses.Recon:F3} -> {epochs[^1].Losses.Recon:F3}");
        double final = trained.Tokenizer.ReconstructionLoss("Sports", trained.Domains[0].Embeddings, useAdapter: false);
        Assert.True(final < 0.5 * trained.InitialRecon, $"recon before training {trained.InitialRecon:F3}, after {final:F3}");
        // 200 items, K = 16: every level should use at least half of its codes in the last epoch.
        Assert.All(epochs[^1].Usage!, u => Assert.True(u.UsedFraction >= 0.5, $"level {u.Level} uses {u.UsedFraction:P0}"));
        Assert.All(epochs[^1].Usage!, u => Assert.True(u.Perplexity > 4, $"level {u.Level} perplexity {u.Perplexity:F1}"));
    }

    [Fact]
    public void ProgressIsReportedEveryStepWithEpochEnds()
    {
        int steps = (int)Math.Ceiling(200 / 32.0);
        var universal = trained.Progress.Where(p => p.Stage == TokenizerStage.Universal).ToList();
        Assert.Equal(Synthetic.TinyConfig.Epochs * steps, universal.Count);
        Assert.Equal(Synthetic.TinyConfig.Epochs, universal.Count(p => p.EpochCompleted));
        Assert.All(universal.Where(p => p.EpochCompleted), p => Assert.NotNull(p.Usage));
        Assert.Contains(trained.Progress, p => p.Stage == TokenizerStage.DomainAdapter && p.Domain == "Clothing");
    }

    [Fact]
    public void NearIdenticalItemsShareTheFirstCodeMoreOftenThanRandomPairs()
    {
        var random = new Random(11);
        var baseItems = trained.Domains[0].Embeddings;
        var twins = baseItems.Select(x => x.Select(v => v + 1e-3f * (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
        var a = trained.Tokenizer.Encode("Sports", baseItems);
        var b = trained.Tokenizer.Encode("Sports", twins);
        double twinsShare = Enumerable.Range(0, a.Length).Average(i => a[i][0] == b[i][0] ? 1.0 : 0.0);
        double randomShare = Enumerable.Range(0, a.Length).Average(i => a[i][0] == a[random.Next(a.Length)][0] ? 1.0 : 0.0);
        Assert.True(twinsShare > 0.9, $"twins share c1 {twinsShare:P0}");
        Assert.True(twinsShare > randomShare + 0.3, $"twins {twinsShare:P0} vs random pairs {randomShare:P0}");
    }

    [Fact]
    public void Stage2ChangesOnlyAdapterAndRouterParameters()
    {
        var changed = trained.AfterStage2.Where(kv => !kv.Value.allclose(trained.AfterStage1[kv.Key], rtol: 0, atol: 0)).Select(kv => kv.Key).ToList();
        Assert.NotEmpty(changed);
        Assert.All(changed, name => Assert.True(name.Contains(".dom_A.") || name.Contains(".dom_B.") || name.StartsWith("routers."), $"{name} changed in stage 2"));
        // every domain's adapter B (zero-initialised) and router moved (adapters are numbered in the tokenizer's domain order)
        foreach (var (domain, index) in new[] { ("Sports", 0), ("Clothing", 1) })
        {
            Assert.Equal(domain, trained.Tokenizer.Domains[index]);
            Assert.Contains(changed, n => n.Contains($".dom_B.{index}"));
            Assert.Contains(changed, n => n.StartsWith($"routers.{domain}."));
        }
    }

    [Fact]
    public void The_gate_before_stage_2_is_the_untrained_routers_and_stage_2_moves_it()
    {
        // a tokenizer just created from the same config has the same router initialisation (g reads x, not the encoder)
        var untrained = new TokenizerTrainer(Synthetic.TinyConfig).CreateTokenizer(trained.Domains);
        foreach (var (domain, result) in trained.Domains.Zip(trained.Adapters))
        {
            Assert.Equal(domain.Domain, result.Domain);
            var expected = GateStatistics.Of(untrained.EncodeWithGates(domain.Domain, domain.Embeddings).Gates);
            Assert.Equal(expected, result.InitialGate);
            var now = GateStatistics.Of(trained.Tokenizer.EncodeWithGates(domain.Domain, domain.Embeddings).Gates);
            Assert.NotEqual(expected.Mean, now.Mean);
        }
    }

    [Fact]
    public void AdaptersDoNotMakeReconstructionWorse()
    {
        foreach (var domain in trained.Domains)
        {
            double universal = trained.Tokenizer.ReconstructionLoss(domain.Domain, domain.Embeddings, useAdapter: false);
            double adapted = trained.Tokenizer.ReconstructionLoss(domain.Domain, domain.Embeddings, useAdapter: true);
            Assert.True(adapted <= universal * 1.02, $"{domain.Domain}: universal {universal:F4}, adapted {adapted:F4}");
        }
    }

    [Fact]
    public void SaveAndLoadGiveTheSameCodesAndGates()
    {
        string dir = Path.Combine(Path.GetTempPath(), "gencdr-tok-" + Guid.NewGuid().ToString("N"));
        try
        {
            trained.Tokenizer.Save(dir);
            var loaded = ItemTokenizer.Load(dir);
            Assert.Equal(trained.Tokenizer.Domains, loaded.Domains);
            Assert.Equal(trained.Tokenizer.Config.LatentDim, loaded.Config.LatentDim);
            foreach (var domain in trained.Domains)
            {
                var (codes, gates) = trained.Tokenizer.EncodeWithGates(domain.Domain, domain.Embeddings);
                var (codes2, gates2) = loaded.EncodeWithGates(domain.Domain, domain.Embeddings);
                Assert.Equal(codes, codes2);
                Assert.Equal(gates, gates2);
            }
            Assert.Equal(Directory.GetFiles(dir).Select(Path.GetFileName).Order(),
                new[] { ItemTokenizer.ConfigFileName, ItemTokenizer.WeightsFileName }.Order());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_new_item_with_a_known_items_text_gets_its_codes()
    {
        var assignment = SemanticIdAssigner.Assign(trained.Tokenizer, trained.Domains);
        var codes = trained.Tokenizer.NewItemCodes("Sports", trained.Domains[0].Embeddings[3]);
        Assert.Equal(assignment.Table.Codes("Sports", 3).Take(codes.Length), codes);
    }

    [Fact]
    public void UnknownDomainIsAClearError()
    {
        var e = Assert.Throws<GenCdrException>(() => trained.Tokenizer.Encode("Books", trained.Domains[0].Embeddings));
        Assert.Contains("Books", e.Message);
    }
}
