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
        var config = Config with { Recommender = Config.Recommender with { Layout = layout, DomainPassHistory = layout == SequenceLayout.Token ? HistoryView.Mixed : HistoryView.InDomain,
            RouterSelection = layout == SequenceLayout.Token ? SelectionMetric.Recall10 : SelectionMetric.LogLikelihood } };
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
    public void A_training_interrupted_in_several_stages_resumes_to_exactly_the_weights_of_an_uninterrupted_one()
    {
        var config = Config with { Recommender = Config.Recommender with { BackboneEpochs = 3, DomainEpochs = 2 } };
        var (folder, data, sids) = Tokenized(config);
        var reference = Parameters(new RecommenderTraining(data, sids, config, Path.Combine(_dir, "reference")).Run());

        // stop mid-epoch in the backbone, in the first domain adapter's second epoch and in the last router
        string dir = folder.Recommender, statePath = Path.Combine(dir, RecommenderTraining.StateFile);
        foreach (var (stage, epoch) in new[] { ("backbone", 2), ("domain-0", 2), ("router-1", 1) })
        {
            var interrupted = new RecommenderTraining(data, sids, config, dir,
                progress: p => { if (p.Stage == stage && p.Epoch == epoch && p.Step == 1) throw new OperationCanceledException("stop"); });
            Assert.Throws<OperationCanceledException>(() => interrupted.Run());
            var state = TrainingState.Load(statePath);
            Assert.DoesNotContain(stage, state.CompletedStages);
            Assert.Equal(epoch - 1, state.CurrentStage == stage ? state.EpochsDone : 0); // a stage is current once an epoch is done
            // what a kill during the next epoch's checkpoint would leave behind: never read, and removed on resume
            File.WriteAllText(RecommenderTraining.CheckpointWeights(dir, $"{stage}-{epoch}"), "half-written");
        }
        var resumedModel = new RecommenderTraining(data, sids, config, dir).Run();
        var resumed = Parameters(resumedModel);

        Assert.Equal(reference.Keys, resumed.Keys);
        foreach (var (name, values) in reference) Assert.True(values.SequenceEqual(resumed[name]), $"{name} differs after resuming");
        var history = TrainingState.Load(statePath).History.Select(h => $"{h.Stage}:{h.Epoch}").ToList();
        Assert.Equal(history.Distinct(), history); // every epoch ran once
        Assert.Equal(TrainingState.Load(Path.Combine(_dir, "reference", RecommenderTraining.StateFile)).History.Select(h => h.ValidationRecall10),
            TrainingState.Load(statePath).History.Select(h => h.ValidationRecall10));
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(dir, RecommenderTraining.CheckpointFolder)),
            f => File.ReadAllText(f) == "half-written");
    }

    [Fact]
    public void A_stage_whose_epochs_do_worse_than_its_starting_model_keeps_the_starting_model()
    {
        // a learning rate that wrecks the universal experts: every trained epoch validates below the backbone
        var config = Config with
        {
            Recommender = Config.Recommender with { BackboneEpochs = 6, UniversalEpochs = 1, UseDomainExperts = false, AdapterLearningRate = 1000 },
            Schedule = Config.Schedule with { ValidationQueries = 160 }, // every user: the wrecked epoch's drop is not noise
        };
        var (folder, data, sids) = Tokenized(config);
        new RecommenderTraining(data, sids, config, folder.Recommender).Run().Dispose();

        var state = TrainingState.Load(Path.Combine(folder.Recommender, RecommenderTraining.StateFile));
        var backbone = state.History.Where(h => h.Stage == "backbone").ToList();
        var start = Assert.Single(state.History, h => h.Stage == "universal" && h.Epoch == 0);
        var trained = Assert.Single(state.History, h => h.Stage == "universal" && h.Epoch == 1);
        Assert.DoesNotContain(backbone, h => h.Epoch == 0); // the first stage starts from random weights: no epoch 0
        Assert.Null(start.Loss);
        // zero-initialised experts are an identity, so the universal scoring of the starting model is the backbone's
        Assert.Equal(backbone.Max(h => h.ValidationRecall10), start.ValidationRecall10, 12);
        Assert.True(trained.ValidationRecall10 < start.ValidationRecall10, $"premise: the wrecked epoch validates lower ({trained.ValidationRecall10} vs {start.ValidationRecall10})");
        Assert.Equal("universal-0", state.Checkpoint);
        Assert.Equal(File.ReadAllBytes(RecommenderTraining.CheckpointWeights(folder.Recommender, "universal-0")),
            File.ReadAllBytes(folder.RecommenderWeights));
    }

    [Fact]
    public void The_user_router_stage_keeps_its_epoch_of_best_validation_log_likelihood()
    {
        var config = Config with { Recommender = Config.Recommender with { RouterEpochs = 3 } };
        Assert.Equal(SelectionMetric.LogLikelihood, config.Recommender.RouterSelection);
        var (folder, data, sids) = Tokenized(config);
        new RecommenderTraining(data, sids, config, folder.Recommender).Run().Dispose();

        var state = TrainingState.Load(Path.Combine(folder.Recommender, RecommenderTraining.StateFile));
        Assert.All(state.History, h => Assert.Equal(h.Stage.StartsWith("router-"), h.ValidationLogLikelihood is not null));
        var router = state.History.Where(h => h.Stage == "router-1").ToList();
        Assert.Equal([0, 1, 2, 3], router.Select(h => h.Epoch));
        Assert.All(router, h => Assert.InRange(h.ValidationLogLikelihood!.Value, -Math.Log(data.Items[1].Count) * 4, 0));
        // the last stage's kept checkpoint is the model: its epoch is the best log-likelihood (a tie to the later epoch)
        var best = router.Last(h => h.ValidationLogLikelihood == router.Max(r => r.ValidationLogLikelihood));
        Assert.Equal(TrainingState.CheckpointName("router-1", best.Epoch), state.Checkpoint);
        // the selection sees the router: its trained epochs change the likelihood (Recall@10 may well tie)
        Assert.True(router.Select(h => h.ValidationLogLikelihood).Distinct().Count() > 1);
        // the stage's Recall@10, read from the targets' ranks in the same pass, is the evaluator's
        using var model = GenCdrPipeline.Train(data, sids, config, folder);
        var evaluated = Evaluator.Evaluate(GenCdrPipeline.Recommender(model, sids), data, Split.Validation, new EvaluationOptions
        {
            Ks = [10], MaxQueries = config.Schedule.ValidationQueries, BatchSize = config.Evaluation.BatchSize, Domains = [data.DomainNames[1]],
        });
        Assert.Equal(evaluated.MeanOverDomains(RankingMetrics.RecallName(10)), best.ValidationRecall10, 12);
    }

    [Fact]
    public void A_router_fitted_on_held_out_events_sees_the_even_users_validation_events_before_anything_held_out()
    {
        var config = Config with { Recommender = Config.Recommender with { RouterTargets = RouterTargets.HeldOutEvents } };
        var (folder, data, sids) = Tokenized(config);
        for (int d = 0; d < data.DomainCount; d++)
        {
            var sequences = RecommenderTraining.HeldOutSequences(data, sids, config.Recommender, d, UserHalf.Even).Cast<ItemSequence>().ToList();
            var events = data.Validation.Where(h => h.Domain == d && h.User % 2 == 0).ToList();
            Assert.Equal(events.Count, sequences.Count);
            Assert.True(events.Count > 10);
            foreach (var (sequence, target) in sequences.Zip(events))
            {
                Assert.Equal(d, sequence.NextDomain[^1]);
                Assert.Equal(data.TargetItem(target), sequence.TargetItem[^1]);
                Assert.All(sequence.TargetItem[..^1], t => Assert.Equal(-1, t));
                // its inputs are the training events before it, never a held-out event of either domain
                int heldOutBefore = data.Validation.Concat(data.Test).Count(h => h.User == target.User && h.Position < target.Position);
                Assert.Equal(target.Position - heldOutBefore, data.TrainingHistoryBefore(target).Length);
                var expected = data.TrainingHistoryBefore(target).TakeLast(config.Recommender.MaxItems).ToList();
                Assert.Equal(expected.Select(e => e.Item), sequence.Items.Skip(1));
                Assert.Equal(expected.Select(e => e.Domain), sequence.Domains.Skip(1));
            }
        }
        // the whole run trains and selects that router (on the odd users' validation events)
        new RecommenderTraining(data, sids, config, folder.Recommender).Run().Dispose();
        var state = TrainingState.Load(Path.Combine(folder.Recommender, RecommenderTraining.StateFile));
        Assert.Equal(StagePlan.For(config.Recommender, data.DomainCount).Select(s => s.Key), state.CompletedStages);
        Assert.All(state.History.Where(h => h.Stage.StartsWith("router-")), h => Assert.NotNull(h.ValidationLogLikelihood));
    }

    static Dictionary<string, float[]> Parameters(GenerativeRecommender model)
    {
        using (model)
            return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
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
        bool ShouldTrainOn(int epochsDone, int bestEpoch, int epochs) => StoppingRule.ShouldTrainOn(epochsDone, bestEpoch, epochs, patience: 4, earlyStoppingAfter: 0.5);
        // 20 epochs, best at 2: no stop before epoch 10 …
        Assert.True(ShouldTrainOn(epochsDone: 9, bestEpoch: 2, epochs: 20));
        // … then the patience counts from the best epoch
        Assert.False(ShouldTrainOn(epochsDone: 10, bestEpoch: 2, epochs: 20));
        Assert.True(ShouldTrainOn(epochsDone: 12, bestEpoch: 9, epochs: 20));
        Assert.False(ShouldTrainOn(epochsDone: 13, bestEpoch: 9, epochs: 20));
        // never past the stage's epochs
        Assert.False(ShouldTrainOn(epochsDone: 20, bestEpoch: 20, epochs: 20));
        // with no protected first part (the baselines' default) the patience alone decides
        Assert.False(StoppingRule.ShouldTrainOn(epochsDone: 5, bestEpoch: 1, epochs: 20, patience: 4, earlyStoppingAfter: 0));
        Assert.True(StoppingRule.ShouldTrainOn(epochsDone: 4, bestEpoch: 1, epochs: 20, patience: 4, earlyStoppingAfter: 0));
        // a tie is a new best (the later epoch is kept), a lower score is not
        Assert.True(StoppingRule.Improves(0.0233, 0.0233));
        Assert.False(StoppingRule.Improves(0.0232, 0.0233));
    }
}
