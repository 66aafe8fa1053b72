using GenCdr.Decoding;
using GenCdr.Recommender;
using static TorchSharp.torch;

namespace GenCdr.Tests.Recommender;

public class RecommenderTrainerTests
{
    static string Kind(string name) =>
        name.Contains("univ_") || name.Contains("expert_gate") ? "universal"
        : name.Contains("dom_A.0") || name.Contains("dom_B.0") ? "domain0"
        : name.Contains("dom_A.1") || name.Contains("dom_B.1") ? "domain1"
        : name.StartsWith("routers.0.") ? "router0"
        : name.StartsWith("routers.1.") ? "router1"
        : "backbone";

    [Theory]
    [InlineData(Stage.Backbone, null, "backbone")]
    [InlineData(Stage.Universal, null, "universal")]
    [InlineData(Stage.DomainAdapter, 0, "domain0")]
    [InlineData(Stage.DomainAdapter, 1, "domain1")]
    [InlineData(Stage.UserRouter, 0, "router0")]
    [InlineData(Stage.UserRouter, 1, "router1")]   // one router per target domain: training domain 1's leaves domain 0's alone
    public void AStageChangesOnlyItsOwnParameters(Stage stage, int? domain, string trained)
    {
        var model = Tiny.Model();
        Tiny.RandomiseAdapters(model, 11); // non-zero B so that every adapter matrix receives gradient
        var before = Tiny.Snapshot(model);
        var trainer = new RecommenderTrainer(model);
        double loss = trainer.TrainEpoch(Tiny.Sequences(16, 2), stage, domain, new Random(1));
        Assert.True(double.IsFinite(loss));
        var after = Tiny.Snapshot(model);
        var changed = before.Keys.Where(k => !before[k].SequenceEqual(after[k])).ToList();
        Assert.NotEmpty(changed);
        Assert.All(changed, name => Assert.Equal(trained, Kind(name)));
        // every parameter the stage declares trainable is of that kind
        var named = model.named_parameters().ToList();
        Assert.All(RecommenderTrainer.TrainableParameters(model, stage, domain),
            p => Assert.Equal(trained, Kind(named.Single(n => ReferenceEquals(n.parameter, p)).name)));
    }

    [Fact]
    public void DomainStagesNeedADomain()
    {
        var trainer = new RecommenderTrainer(Tiny.Model());
        Assert.Throws<ArgumentException>(() => trainer.TrainEpoch(Tiny.Sequences(4, 1), Stage.DomainAdapter, null, new Random(1)));
        Assert.Throws<ArgumentException>(() => trainer.TrainEpoch(Tiny.Sequences(4, 1), Stage.UserRouter, 5, new Random(1)));
    }

    // Four users whose histories alternate domains; every history starts differently, so the next item is
    // determined by the history and the model can memorise it.
    internal static readonly int[][] DomainItems0 = [[0, 0, 0], [0, 1, 2], [1, 3, 3], [2, 2, 1], [3, 0, 1], [3, 1, 0]];
    internal static readonly int[][] DomainItems1 = [[0, 3, 3], [1, 1, 1], [2, 0, 3], [3, 3, 0], [1, 2, 2]];
    internal static readonly (int Domain, int Item)[][] Histories =
    [
        [(0, 0), (1, 0), (0, 1), (1, 1)],
        [(1, 2), (0, 2), (1, 3), (0, 3)],
        [(0, 4), (1, 4), (0, 5), (1, 2)],
        [(1, 1), (0, 5), (1, 0), (0, 4)],
    ];

    static SidItem Sid((int Domain, int Item) e) => new(e.Domain, (e.Domain == 0 ? DomainItems0 : DomainItems1)[e.Item]);

    [Fact]
    public void BackboneOverfitsAndTheFullPipelineDecodesTheNextItem()
    {
        var config = Tiny.Config with { BackboneLearningRate = 1e-2, AdapterLearningRate = 1e-3, BatchSize = 4 };
        var model = Tiny.Model(config);
        var builder = new SequenceBuilder(Tiny.Vocabulary);
        var sequences = Histories.Select(h => builder.Build(h.Select(Sid).ToList())).ToList();
        var trainer = new RecommenderTrainer(model);
        var rng = new Random(4);
        double loss = double.NaN;
        // Floor: users 0/2 and 1/3 start with the same domain token, so each sequence's first code is a coin
        // flip: ln 2 over 12 targets ≈ 0.058. Everything after the first code is determined.
        for (int epoch = 0; epoch < 400 && !(loss < 0.065); epoch++) loss = trainer.TrainEpoch(sequences, Stage.Backbone, null, rng);
        Assert.True(loss < 0.065, $"stage-0 loss {loss}");

        var prompts = Histories.Select(h => builder.BuildPrompt(h[..^1].Select(Sid).ToList(), h[^1].Domain)).ToList();
        var domains = Histories.Select(h => h[^1].Domain).ToList();
        var search = new ConstrainedBeamSearch(Tiny.Vocabulary, [PrefixTrie.Build(3, DomainItems0), PrefixTrie.Build(3, DomainItems1)]);
        var expected = Histories.Select(h => h[^1].Item).ToList();
        var backbone = search.Search(new TransformerStepScorer(model, ScoringPasses.Backbone), prompts, domains, beamWidth: 4, k: 3);
        Assert.Equal(expected, backbone.PerUser.Select(r => r[0].Item));

        // stages 3, 4a, 4b start from identity adapters and a near-perfect backbone: they must not break it
        for (int e = 0; e < 3; e++) Assert.True(double.IsFinite(trainer.TrainEpoch(sequences, Stage.Universal, null, rng)));
        for (int d = 0; d < 2; d++)
            for (int e = 0; e < 3; e++) Assert.True(double.IsFinite(trainer.TrainEpoch(sequences, Stage.DomainAdapter, d, rng)));
        for (int d = 0; d < 2; d++)
            for (int e = 0; e < 3; e++) Assert.True(double.IsFinite(trainer.TrainEpoch(sequences, Stage.UserRouter, d, rng)));
        var full = search.Search(new TransformerStepScorer(model, ScoringPasses.Mixture), prompts, domains, beamWidth: 4, k: 3);
        Assert.Equal(expected, full.PerUser.Select(r => r[0].Item));
        Assert.All(full.PerUser, r => Assert.True(r[0].Score > Math.Log(0.5)));

        // the same through the evaluation contract, from events
        var recommender = new GenCdrRecommender(model, [DomainItems0, DomainItems1]);
        var queries = Histories.Select((h, u) => new GenCdr.Evaluation.RecommendationQuery(u,
            h[..^1].Select((e, t) => new GenCdr.Data.Event(e.Domain, e.Item, t)).ToList(), h[^1].Domain)).ToList();
        var top = recommender.Recommend(queries, 3);
        Assert.Equal(expected, top.Select(r => r[0]));
        Assert.Equal(0, recommender.Invalid);
    }
}

public class RecommenderTrainerBatchingTests
{
    [Fact]
    public void Batches_cover_every_sequence_once_and_group_similar_lengths()
    {
        var rng = new Random(5);
        var sequences = Enumerable.Range(0, 640).Select(i => TokenSequence.Prompt(new int[1 + rng.Next(100)])).ToList();
        var batches = RecommenderTrainer.Batches(sequences, Enumerable.Range(0, sequences.Count).ToArray(), 32, new Random(1));

        Assert.Equal(Enumerable.Range(0, 640), batches.SelectMany(b => b).Order());
        Assert.All(batches, b => Assert.InRange(b.Length, 1, 32));
        // padding waste: sum over batches of (longest − each length); sorted windows keep it far below random batches
        long Waste(IEnumerable<int[]> bs) => bs.Sum(b => b.Sum(i => (long)(b.Max(j => sequences[j].Length) - sequences[i].Length)));
        var random = Enumerable.Range(0, 640).OrderBy(_ => rng.Next()).Chunk(32);
        Assert.True(Waste(batches) * 4 < Waste(random), $"{Waste(batches)} vs {Waste(random)}");
    }
}
