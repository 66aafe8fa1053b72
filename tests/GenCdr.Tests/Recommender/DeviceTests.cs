using GenCdr.Data;
using GenCdr.Decoding;
using GenCdr.Recommender;
using GenCdr.Evaluation;
using TorchSharp;
using TokenizerData = GenCdr.Tests.Tokenization.Synthetic;
using GenCdr.Tokenization;
using static TorchSharp.torch;

namespace GenCdr.Tests.Recommender;

/// <summary>libtorch's default device is one setting of the whole process: the tests that change it run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultDeviceCollection
{
    public const string Name = "libtorch default device";
}

/// <summary>
/// Issue #14: every tensor the GenCDR path makes goes to the model's device. There is no GPU here, so the check runs on
/// the CPU: the modules are built on the CPU, then libtorch's default device is set to META (tensors without storage) and
/// the path runs — a forward of each layout, a decode of each, a training step of the recommender's stages and of both
/// tokenizer stages. A factory call that names no device (arange, zeros, tensor(array), rand, randperm, …) then makes a
/// meta tensor, and the first operation that meets it with a CPU tensor, or reads it to the host, throws; a path that
/// finishes has made every tensor on the model's device. <see cref="A_factory_call_without_a_device_fails_the_check"/>
/// shows the check can fail.
/// </summary>
[Collection(DefaultDeviceCollection.Name)]
public class DeviceTests
{
    static readonly int[][] DomainItems0 = RecommenderTrainerTests.DomainItems0;
    static readonly int[][] DomainItems1 = RecommenderTrainerTests.DomainItems1;
    static readonly (int Domain, int Item)[][] Histories = RecommenderTrainerTests.Histories;

    /// <summary>Runs <paramref name="body"/> with META as libtorch's default device, restored afterwards.</summary>
    static void WithMetaDefaultDevice(Action body)
    {
        var before = get_default_device();
        set_default_device(META);
        try { body(); }
        finally { set_default_device(before); }
    }

    static void AssertOnCpu(Tensor tensor) => Assert.Equal(DeviceType.CPU, tensor.device_type);

    [Fact]
    public void A_factory_call_without_a_device_fails_the_check()
    {
        using var onModel = ones(3);
        WithMetaDefaultDevice(() =>
        {
            Assert.ThrowsAny<Exception>(() => (onModel + arange(3, dtype: float32)).sum().item<float>());
            Assert.ThrowsAny<Exception>(() => (onModel * rand(3, generator: new Generator(1))).sum().item<float>());
            Assert.Equal(3f, (onModel + zeros(3, device: onModel.device)).sum().item<float>());
        });
    }

    [Fact]
    public void The_token_layout_forwards_trains_and_beam_searches_on_the_models_device()
    {
        var config = Tiny.Config with { Dropout = 0.1 };
        var model = Tiny.Model(config);
        Tiny.RandomiseAdapters(model, 1);
        var trainer = new RecommenderTrainer(model);
        var sequences = Tiny.Sequences(6, 3).Cast<IRecommenderSequence>().ToList();
        var sids = new[] { DomainItems0, DomainItems1 };
        var search = new ConstrainedBeamSearch(Tiny.Vocabulary, sids.Select(s => PrefixTrie.Build(3, s)).ToList());
        var builder = new SequenceBuilder(Tiny.Vocabulary, maxItems: 20);
        var prompts = Histories.Select(h => builder.BuildPrompt(h[..^1].Select(e => new SidItem(e.Domain, sids[e.Domain][e.Item])).ToList(), h[^1].Domain)).ToList();
        var domains = Histories.Select(h => h[^1].Domain).ToList();
        WithMetaDefaultDevice(() =>
        {
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                using var batch = TokenBatch.FromPrompts(prompts, model.Device);
                AssertOnCpu(model.Backbone.forward(batch.Tokens));
            }
            foreach (var (stage, domain) in new (Stage, int?)[] { (Stage.Backbone, null), (Stage.Universal, null), (Stage.DomainAdapter, 1), (Stage.UserRouter, 0) })
            {
                trainer.BeginEpoch(5);
                Assert.True(double.IsFinite(trainer.TrainEpoch(sequences, stage, domain, new Random(2))), $"{stage}");
            }
            foreach (var passes in new[] { ScoringPasses.Mixture, ScoringPasses.Domain, ScoringPasses.Backbone })
            {
                var decoded = search.Search(new TransformerStepScorer(model, passes), prompts, domains, beamWidth: 3, k: 2);
                Assert.All(decoded.PerUser, list => Assert.NotEmpty(list));
            }
            Assert.NotEmpty(search.Search(new TransformerStepScorer(model, ScoringPasses.Mixture), prompts, domains, 3, 2, constrained: false).PerUser);
        });
    }

    [Fact]
    public void The_item_layout_forwards_trains_and_scores_every_item_on_the_models_device()
    {
        var config = Tiny.Config with
        {
            Layout = SequenceLayout.Item, ItemIdRows = 32, SampledNegatives = 3, Dropout = 0.1, BatchSize = 4,
            DomainPassHistory = HistoryView.InDomain,
        };
        var model = Tiny.Model(config);
        Tiny.RandomiseAdapters(model, 2);
        var sids = new IReadOnlyList<int[]>[] { DomainItems0, DomainItems1 };
        using var items = new ItemCodeTable(Tiny.Vocabulary, sids);
        var trainer = new RecommenderTrainer(model, items);
        IndexedSidItem Indexed((int Domain, int Item) e) => new(new SidItem(e.Domain, sids[e.Domain][e.Item]), e.Item);
        var sequences = Histories.Select(h => (IRecommenderSequence)ItemSequence.Training(h.Select(Indexed).ToList())).ToList();
        var prompts = Histories.Select(h => ItemSequence.Prompt(h[..^1].Select(e => Indexed(e).Sid).ToList(), h[^1].Domain,
            h[..^1].Select(e => e.Item).ToList())).ToList();
        var domains = Histories.Select(h => h[^1].Domain).ToList();
        var queries = Histories.Select((h, u) => new RecommendationQuery(u, h[..^1].Select((e, t) => new Event(e.Domain, e.Item, t)).ToList(), h[^1].Domain)).ToList();
        var recommender = new GenCdrRecommender(model, sids);
        WithMetaDefaultDevice(() =>
        {
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                using var batch = ItemBatch.Create(prompts, Tiny.Vocabulary, model.Device);
                AssertOnCpu(model.ItemHidden(batch, AdapterSelection.WithUniversal));
                AssertOnCpu(model.ItemVectors(items, 1));
            }
            foreach (var (stage, domain) in new (Stage, int?)[] { (Stage.Backbone, null), (Stage.Universal, null), (Stage.DomainAdapter, 0), (Stage.UserRouter, 1) })
            {
                trainer.BeginEpoch(6);
                Assert.True(double.IsFinite(trainer.TrainEpoch(sequences, stage, domain, new Random(3))), $"{stage}");
            }
            foreach (var passes in new[] { ScoringPasses.Mixture, ScoringPasses.Domain, ScoringPasses.Universal })
                foreach (bool constrained in new[] { true, false })
                    Assert.Equal(prompts.Count, new ExactItemScorer(model, items, passes).Decode(prompts, domains, 3, constrained, batchUsers: 3).PerUser.Count);
            Assert.Equal(queries.Count, recommender.Decode(queries, 3).PerUser.Count);
            Assert.NotNull(recommender.Routing(queries.Where(q => q.TargetDomain == 0).ToList(), 0));
            Assert.NotNull(recommender.ExpertGates(queries));
        });
    }

    [Fact]
    public void The_tokenizer_trains_both_stages_and_encodes_on_its_device()
    {
        // one epoch of each stage, with dead codes reseeded at every step, LoRA dropout and masked-code modelling on
        var config = TokenizerData.TinyConfig with { Epochs = 1, AdapterEpochs = 1, DeadCodeCheckInterval = 1, DeadCodeUnusedSteps = 1, LoraDropout = 0.1f };
        var domains = TokenizerData.TwoDomains();
        var trainer = new TokenizerTrainer(config);
        using var tokenizer = trainer.CreateTokenizer(domains);
        WithMetaDefaultDevice(() =>
        {
            var universal = trainer.TrainUniversal(tokenizer, domains);
            Assert.True(double.IsFinite(universal.Epochs[^1].Losses.Total));
            var adapters = trainer.TrainAdapters(tokenizer, domains);
            Assert.All(adapters, a => Assert.True(double.IsFinite(a.Epochs[^1].Losses.Total)));
            var (codes, gates) = tokenizer.EncodeWithGates(domains[1].Domain, domains[1].Embeddings);
            Assert.Equal(domains[1].Count, codes.Length);
            Assert.Equal(domains[1].Count, gates.Length);
            Assert.True(double.IsFinite(tokenizer.AdapterShift(domains[0].Domain, domains[0].Embeddings)));
        });
    }
}
