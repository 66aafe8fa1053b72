using GenCdr.Data;
using GenCdr.Evaluation;
using GenCdr.Recommender;
using GenCdr.Training;

namespace GenCdr.Tests.Training;

public class GenCdrPipelineTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("gencdr-pipeline-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    RunConfig Config => TinyRun.Config(Path.Combine(_dir, "cache"));

    /// <summary>A run folder with the data prepared and tokenized.</summary>
    (RunFolder Folder, PreparedDataset Data, SemanticIds Sids) Tokenized(RunConfig config)
    {
        var folder = new RunFolder(Path.Combine(_dir, "run"));
        folder.Begin(config);
        var data = GenCdrPipeline.Data(config, folder);
        var (_, table) = GenCdrPipeline.Tokenize(data, config, folder);
        return (folder, data, new SemanticIds(data, table, config.Tokenizer.CodebookSize));
    }

    [Fact]
    public void A_run_goes_from_data_to_valid_recommendations_and_leaves_every_artifact()
    {
        var config = Config;
        var (folder, data, sids) = Tokenized(config);
        var model = GenCdrPipeline.Train(data, sids, config, folder);
        var recommender = GenCdrPipeline.Recommender(model, sids);

        // the evaluator itself rejects out-of-domain, duplicate or surplus items
        var result = Evaluator.Evaluate(recommender, data, Split.Test, new EvaluationOptions { MaxQueries = 40 });
        Assert.Equal(data.DomainNames, result.Domains.Select(d => d.Domain));
        Assert.All(result.Rankings, r => Assert.Equal(10, r.Ranked.Length));
        Assert.Equal(0, recommender.Invalid);

        foreach (var path in new[] { folder.Config, folder.SemanticIds, folder.TokenizationReport, folder.RecommenderWeights,
                     Path.Combine(folder.Data, PreparedDatasetStore.ManifestFile) })
            Assert.True(File.Exists(path), path);
        var state = TrainingState.Load(Path.Combine(folder.Recommender, RecommenderTraining.StateFile));
        Assert.Equal(StagePlan.For(config.Recommender, data.DomainCount).Select(s => s.Key), state.CompletedStages);

        // a loaded run decodes exactly as the trained one
        var (_, _, loaded) = GenCdrPipeline.Load(folder, config);
        var queries = data.Test.Take(12).Select(h => new RecommendationQuery(h.User, data.HistoryBefore(h), h.Domain)).ToArray();
        Assert.Equal(recommender.Recommend(queries, 10), loaded.Recommend(queries, 10));
    }

    [Theory]
    [InlineData(SequenceLayout.Token)]
    [InlineData(SequenceLayout.Item)]
    public void Training_sequences_hold_every_training_event_once_and_no_held_out_event(SequenceLayout layout)
    {
        var config = Config with { Recommender = Config.Recommender with { Layout = layout } };
        var (folder, data, sids) = Tokenized(config);

        var sequences = RecommenderTraining.TrainingSequences(data, sids, config.Recommender);

        int trainingEvents = Enumerable.Range(0, data.UserCount).Sum(u => data.TrainingHistory(u).Length);
        int maxItems = config.Recommender.MaxItems;
        if (layout == SequenceLayout.Token)
        {
            int targets = sequences.Cast<TokenSequence>().Sum(s => s.Targets.Count(t => t >= 0));
            Assert.Equal(trainingEvents * sids.Vocabulary.Levels, targets);
            Assert.All(sequences, s => Assert.True(s.Length <= 1 + maxItems * (sids.Vocabulary.Levels + 1)));
        }
        else
        {
            // one target per training event: the item itself, predicted from BOS and the items before it
            var items = sequences.Cast<ItemSequence>().ToList();
            Assert.Equal(trainingEvents, items.Sum(s => s.TargetItem.Count(t => t >= 0)));
            Assert.All(items, s => Assert.True(s.Length <= 1 + maxItems));
            var first = data.TrainingHistory(0);
            var own = items.First(s => s.Length == Math.Min(first.Length, maxItems) + 1);
            Assert.Equal(-1, own.NextDomain[^1]);
        }
        Assert.Equal(data.Validation.Count + data.Test.Count, Enumerable.Range(0, data.UserCount).Sum(u => data.Histories[u].Length) - trainingEvents);
    }

    [Fact]
    public void An_interrupted_training_resumes_at_the_next_epoch_and_runs_each_epoch_once()
    {
        var config = Config with { Recommender = Config.Recommender with { BackboneEpochs = 3 } };
        var (folder, data, sids) = Tokenized(config);

        // interrupt in the second backbone epoch
        var interrupted = new RecommenderTraining(data, sids, config, folder.Recommender,
            progress: p => { if (p.Stage == "backbone" && p.Epoch == 2) throw new OperationCanceledException("stop"); });
        Assert.Throws<OperationCanceledException>(() => interrupted.Run());
        var statePath = Path.Combine(folder.Recommender, RecommenderTraining.StateFile);
        Assert.Equal(1, TrainingState.Load(statePath).EpochsDone);

        var epochsSeen = new List<int>();
        new RecommenderTraining(data, sids, config, folder.Recommender,
            progress: p => { if (p.Stage == "backbone" && p.Step == 1) epochsSeen.Add(p.Epoch); }).Run();
        Assert.Equal([2, 3], epochsSeen);
        var backbone = TrainingState.Load(statePath).History.Where(h => h.Stage == "backbone").Select(h => h.Epoch);
        Assert.Equal([1, 2, 3], backbone);
    }

    [Fact]
    public void A_folder_holding_a_run_with_another_configuration_is_refused_and_left_alone()
    {
        var folder = new RunFolder(Path.Combine(_dir, "run"));
        folder.Begin(Config);
        string before = File.ReadAllText(folder.Config);
        var other = Config with { Recommender = Config.Recommender with { DModel = 64 } };
        var e = Assert.Throws<GenCdrException>(() => folder.Begin(other));
        Assert.Contains("different configuration", e.Message);
        Assert.Equal(before, File.ReadAllText(folder.Config));
        folder.Begin(Config); // the same configuration continues
    }

    [Fact]
    public void Ablations_drop_the_stages_the_paper_removes()
    {
        var full = new RecommenderConfig();
        Assert.Equal(["backbone", "universal", "domain-0", "router-0", "domain-1", "router-1"], StagePlan.For(full, 2).Select(s => s.Key));
        Assert.Equal(["backbone", "domain-0", "domain-1"], StagePlan.For(full with { UseUniversalExperts = false }, 2).Select(s => s.Key));
        Assert.Equal(["backbone", "universal"], StagePlan.For(full with { UseDomainExperts = false }, 2).Select(s => s.Key));
    }
}

public class EarlyStoppingRuleTests
{
    [Fact]
    public void Stages_run_their_first_half_then_stop_after_patience_epochs_without_a_new_best()
    {
        var schedule = new TrainingSchedule { Patience = 4, EarlyStoppingAfter = 0.5 };
        // 20 epochs, best at 2: no stop before epoch 10 …
        Assert.True(RecommenderTraining.ShouldTrainOn(epochsDone: 9, bestEpoch: 2, epochs: 20, schedule));
        // … then the patience counts from the best epoch
        Assert.False(RecommenderTraining.ShouldTrainOn(epochsDone: 10, bestEpoch: 2, epochs: 20, schedule));
        Assert.True(RecommenderTraining.ShouldTrainOn(epochsDone: 12, bestEpoch: 9, epochs: 20, schedule));
        Assert.False(RecommenderTraining.ShouldTrainOn(epochsDone: 13, bestEpoch: 9, epochs: 20, schedule));
        // never past the stage's epochs
        Assert.False(RecommenderTraining.ShouldTrainOn(epochsDone: 20, bestEpoch: 20, epochs: 20, schedule));
    }
}
