using GenCdr.Baselines;
using GenCdr.Data;
using GenCdr.Evaluation;
using GenCdr.Tests.Synthetic;

namespace GenCdr.Tests.Baselines;

/// <summary>BERT4Rec learns: it memorises a tiny data set, trains deterministically, and beats popularity on the
/// generated data.</summary>
public class Bert4RecTrainerTests
{
    /// <summary>Eight users of one domain with 30 items, 8 events each (a seeded random walk over items), so each
    /// user has 6 training events; the last two are validation and test.</summary>
    static PreparedDataset Tiny()
    {
        var items = Enumerable.Range(0, 30).Select(i => new Item($"I{i}", "d", ItemText.Empty)).ToArray();
        var rng = new Random(11);
        var histories = Enumerable.Range(0, 8)
            .Select(u => Enumerable.Range(0, 8).Select(t => new Event(0, rng.Next(items.Length), 100 * u + t)).ToArray())
            .ToArray();
        return new PreparedDataset("tiny", ["d"], [items], Enumerable.Range(0, 8).Select(u => $"u{u}").ToArray(), histories);
    }

    static readonly Bert4RecConfig TinyConfig = new()
    {
        HiddenSize = 32, InnerSize = 64, Heads = 2, Layers = 2, MaxLength = 8, Dropout = 0, AttentionDropout = 0,
        LearningRate = 5e-3, WeightDecay = 0, BatchSize = 8, MaxEpochs = 250, ValidateEvery = 250, Patience = 1, Seed = 3,
    };

    [Fact]
    public void Memorises_a_tiny_data_set_last_training_item_ranked_first()
    {
        var data = Tiny();
        var (model, report) = new Bert4RecTrainer(TinyConfig).Train(data);
        Assert.Equal(250, report.Epochs.Count);
        Assert.True(report.Epochs[^1].Loss < 0.2 * report.Epochs[0].Loss, $"loss {report.Epochs[0].Loss} → {report.Epochs[^1].Loss}");
        // Query: the first five training events; answer: the sixth (a training event, so it can be memorised).
        var queries = Enumerable.Range(0, data.UserCount)
            .Select(u => new RecommendationQuery(u, data.TrainingHistory(u)[..5], 0)).ToArray();
        var lists = model.Recommend(queries, 1);
        int right = Enumerable.Range(0, data.UserCount).Count(u => lists[u][0] == data.TrainingHistory(u)[5].Item);
        Assert.True(right >= 7, $"{right} of 8 users got their next training item first");
    }

    [Fact]
    public void Same_seed_gives_the_same_training()
    {
        var data = Tiny();
        var config = TinyConfig with { MaxEpochs = 5, ValidateEvery = 1, Patience = 10, Dropout = 0.2, AttentionDropout = 0.2 };
        var (a, ra) = new Bert4RecTrainer(config).Train(data);
        var (b, rb) = new Bert4RecTrainer(config).Train(data);
        Assert.Equal(ra.Epochs.Select(e => e.Loss), rb.Epochs.Select(e => e.Loss));
        var queries = Enumerable.Range(0, data.UserCount).Select(u => new RecommendationQuery(u, data.TrainingHistory(u), 0)).ToArray();
        Assert.Equal(a.Recommend(queries, 10), b.Recommend(queries, 10));
        var (_, rc) = new Bert4RecTrainer(config with { Seed = 4 }).Train(data);
        Assert.NotEqual(ra.Epochs.Select(e => e.Loss), rc.Epochs.Select(e => e.Loss));
    }

    [Fact]
    public void Early_stopping_keeps_the_best_epoch_and_stops_after_patience()
    {
        var data = Tiny();
        var config = TinyConfig with { MaxEpochs = 40, ValidateEvery = 2, Patience = 2, LearningRate = 1e-2 };
        var (model, report) = new Bert4RecTrainer(config).Train(data);
        var validated = report.Epochs.Where(e => e.ValidationRecallAt10 is not null).ToList();
        Assert.All(report.Epochs, e => Assert.Equal(e.Epoch % 2 == 0, e.ValidationRecallAt10 is not null));
        Assert.Equal(validated.Max(e => e.ValidationRecallAt10!.Value), report.BestValidationRecallAt10);
        Assert.Equal(validated.First(e => e.ValidationRecallAt10 == report.BestValidationRecallAt10).Epoch, report.BestEpoch);
        if (report.Epochs.Count < config.MaxEpochs)
            Assert.True(validated.TakeLast(config.Patience).All(e => !e.Improved), "stopped before patience ran out");
        // The kept weights are the best epoch's: evaluating them again gives the recorded recall.
        var again = Evaluator.Evaluate(model, data, Split.Validation, new EvaluationOptions { Ks = [10] }).MeanOverDomains("Recall@10");
        Assert.Equal(report.BestValidationRecallAt10, again, 10);
        Assert.True(report.WallSeconds > 0 && report.PeakWorkingSetBytes > 0 && report.Parameters > 0);
    }

    [Fact]
    public void Beats_popularity_on_the_generated_data_set()
    {
        var data = SyntheticPreparation.DefaultPrepared;
        var config = new Bert4RecConfig
        {
            HiddenSize = 32, InnerSize = 128, MaxLength = 20, BatchSize = 256, LearningRate = 3e-3,
            MaxEpochs = 4, ValidationMaxQueries = 500,
        };
        var (model, _) = new Bert4RecTrainer(config).Train(data);
        var bert = Evaluator.Evaluate(model, data, Split.Validation);
        var popularity = Evaluator.Evaluate(new PopularityRecommender(data), data, Split.Validation);
        double b = bert.MeanOverDomains("Recall@10"), p = popularity.MeanOverDomains("Recall@10");
        Assert.True(b > 1.1 * p, $"BERT4Rec validation Recall@10 {b:0.0000} vs popularity {p:0.0000}");
    }
}
