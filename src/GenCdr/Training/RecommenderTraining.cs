using TorchSharp;
using System.Diagnostics;
using GenCdr.Data;
using GenCdr.Decoding;
using GenCdr.Evaluation;
using GenCdr.Recommender;

namespace GenCdr.Training;

/// <summary>Progress of recommender training, for progress bars: the stage, its epoch, and the step within it.</summary>
public sealed record StageProgress(string Stage, int Epoch, int Epochs, int Step, int Steps, float Loss);

/// <summary>
/// Runs the recommender stages of <see cref="StagePlan.For"/> on a prepared data set (paper §4, steps 3–4,
/// after our stage 0). Each epoch is followed by validation Recall@10 on a fixed sample of users
/// (<see cref="TrainingSchedule.ValidationQueries"/>) with the stage's scoring; the best epoch of each stage
/// is kept (paper §4.1: checkpoints chosen by validation Recall@10) under the project's one <see cref="StoppingRule"/>
/// (<see cref="TrainingSchedule.Patience"/>, <see cref="TrainingSchedule.EarlyStoppingAfter"/>).
/// <para>Resume is exact (issue #13): after every epoch the weights and the stage's optimizer state are written to
/// checkpoints/ under the epoch's name, then <see cref="TrainingState"/> naming them (the commit: a run killed before it
/// resumes from the previous epoch, and the half-written files are never read). Every random stream of an epoch — the
/// data order, dropout, the sampled negatives, the routers' VIB noise — is seeded from (seed, stage, epoch) alone
/// (<see cref="RecommenderTrainer.BeginEpoch"/>), so a resumed run trains exactly the epochs an uninterrupted one would.</para>
/// </summary>
public sealed class RecommenderTraining
{
    public const string FinalWeights = "recommender.bin";
    public const string StateFile = "training-state.json";
    public const string CheckpointFolder = "checkpoints";

    readonly PreparedDataset _data;
    readonly SemanticIds _sids;
    readonly RunConfig _config;
    readonly string _dir;
    readonly Action<string>? _log;
    readonly Action<StageProgress>? _progress;

    public RecommenderTraining(PreparedDataset data, SemanticIds sids, RunConfig config, string directory,
        Action<string>? log = null, Action<StageProgress>? progress = null)
    {
        _data = data;
        _sids = sids;
        _config = config;
        _dir = directory;
        _log = log;
        _progress = progress;
    }

    /// <summary>The weights of checkpoint <paramref name="name"/> in the training folder <paramref name="directory"/>.</summary>
    public static string CheckpointWeights(string directory, string name) => Path.Combine(directory, CheckpointFolder, name + ".weights.bin");

    static string CheckpointOptimizer(string directory, string name) => Path.Combine(directory, CheckpointFolder, name + ".optimizer.bin");

    /// <summary>The seed of every random stream of epoch <paramref name="epoch"/> of the stage at
    /// <paramref name="stageIndex"/> in the plan (a fixed mix, not <see cref="HashCode"/>, which differs per process).</summary>
    public static int EpochSeed(int seed, int stageIndex, int epoch) => unchecked(seed * 1_000_003 + (stageIndex + 1) * 10_007 + epoch);

    /// <summary>Training sequences: each user's training events (never a held-out one) in the configured layout
    /// (<see cref="SequenceLayout"/>). Histories longer than <see cref="RecommenderConfig.MaxItems"/> are cut into
    /// consecutive windows, so that every training event is a target once, as in SASRec-style training on whole sequences.</summary>
    public static List<IRecommenderSequence> TrainingSequences(PreparedDataset data, SemanticIds sids, RecommenderConfig config)
    {
        int maxItems = config.MaxItems;
        var builder = new SequenceBuilder(sids.Vocabulary, maxItems);
        var sequences = new List<IRecommenderSequence>();
        for (int u = 0; u < data.UserCount; u++)
        {
            var events = data.TrainingHistory(u).ToArray();
            for (int end = events.Length; end > 0; end -= maxItems)
            {
                var window = events[Math.Max(0, end - maxItems)..end];
                sequences.Add(config.Layout == SequenceLayout.Item
                    ? ItemSequence.Training(window.Zip(sids.ToSidItems(window), (e, item) => new IndexedSidItem(item, e.Item)).ToList())
                    : builder.Build(sids.ToSidItems(window)));
            }
        }
        return sequences;
    }

    /// <summary>The user router's held-out fitting sequences for domain <paramref name="domain"/>
    /// (<see cref="RouterTargets.HeldOutEvents"/>): for each validation event of the domain whose user is in
    /// <paramref name="half"/>, the user's last <see cref="RecommenderConfig.MaxItems"/> training events before it, with
    /// that event as the one target.</summary>
    public static List<IRecommenderSequence> HeldOutSequences(PreparedDataset data, SemanticIds sids, RecommenderConfig config, int domain, UserHalf half) =>
        data.Validation.Where(h => h.Domain == domain && Evaluator.InHalf(h.User, half)).Select(h =>
        {
            var history = data.TrainingHistoryBefore(h).TakeLast(config.MaxItems).ToList();
            return (IRecommenderSequence)ItemSequence.HeldOut(sids.ToSidItems(history),
                history.Select(e => e.Item).ToList(), domain, data.TargetItem(h));
        }).ToList();

    /// <summary>Runs (or resumes) every stage; returns the trained model with each stage's best weights.</summary>
    public GenerativeRecommender Run()
    {
        var config = _config.Recommender;
        config.Validate();
        Directory.CreateDirectory(Path.Combine(_dir, CheckpointFolder));
        // built on the CPU (its seeded initialisation and the checkpoint's weights), trained on the configured device
        var model = GenerativeRecommender.Create(config, _sids.Vocabulary).to(Devices.Require(_config.Device));
        string statePath = Path.Combine(_dir, StateFile);
        var state = TrainingState.Load(statePath);
        if (state.Checkpoint is { } checkpoint)
        {
            model.LoadFrom(CheckpointWeights(_dir, checkpoint));
            _log?.Invoke($"resuming: {state.CompletedStages.Count} stage(s) done" +
                         (state.CurrentStage is null ? "" : $", {state.CurrentStage} after epoch {state.EpochsDone}"));
        }
        RemoveUnnamedCheckpoints(state);
        var sequences = TrainingSequences(_data, _sids, config);
        using var items = new ItemCodeTable(_sids.Vocabulary, _sids.All);
        var trainer = new RecommenderTrainer(model, items);
        var plan = StagePlan.For(config, _data.DomainCount);
        for (int s = 0; s < plan.Count; s++)
        {
            if (state.CompletedStages.Contains(plan[s].Key)) continue;
            RunStage(model, trainer, plan[s], s, sequences, state, statePath);
        }
        model.SaveTo(Path.Combine(_dir, FinalWeights));
        return model;
    }

    void RunStage(GenerativeRecommender model, RecommenderTrainer trainer, StagePlan stage, int stageIndex,
        List<IRecommenderSequence> sequences, TrainingState state, string statePath)
    {
        if (state.CurrentStage != stage.Key)
        {
            state.CurrentStage = stage.Key;
            state.EpochsDone = 0;
            state.BestScore = null;
            state.BestEpoch = 0;
        }
        else if (state.EpochsDone > 0)
            trainer.LoadOptimizerState(stage.Stage, stage.Domain, CheckpointOptimizer(_dir, state.Checkpoint!));
        var evaluation = new EvaluationOptions
        {
            Ks = [10],
            MaxQueries = _config.Schedule.ValidationQueries,
            BatchSize = _config.Evaluation.BatchSize,
            Domains = stage.Domain is { } d ? [_data.DomainNames[d]] : null,
        };
        // a user router fitted on held-out events fits on the even users' validation events and is selected on the odd ones'
        var users = UserHalf.All;
        if (stage.Stage == Stage.UserRouter && _config.Recommender.RouterTargets == RouterTargets.HeldOutEvents)
        {
            sequences = HeldOutSequences(_data, _sids, _config.Recommender, stage.Domain!.Value, UserHalf.Even);
            users = UserHalf.Odd;
        }
        // A stage after the first starts from a model that already works: its new LoRA paths are zero-initialised
        // (B = 0, an identity), so before its first epoch the stage's scoring is the previous stage's model. That start
        // is the stage's epoch 0 and a candidate like any epoch, so a stage whose training does not help on validation
        // keeps the model it was given (the universal stage once ended at 0.0670 below the backbone's 0.0685 because
        // only trained epochs could be kept).
        if (stageIndex > 0 && stage.Epochs > 0 && state.EpochsDone == 0 && state.BestScore is null)
        {
            var clock = Stopwatch.StartNew();
            var (recall, logLikelihood) = Validate(model, stage, evaluation, users);
            string name = TrainingState.CheckpointName(stage.Key, 0);
            model.SaveTo(CheckpointWeights(_dir, name));
            state.History.Add(new EpochRecord(stage.Key, 0, null, recall, clock.Elapsed.TotalSeconds, logLikelihood));
            state.BestScore = Score(stage, recall, logLikelihood);
            state.BestEpoch = 0;
            state.Checkpoint = name;
            state.Save(statePath);
            RemoveUnnamedCheckpoints(state);
            _log?.Invoke(EpochLine.Format(stage.Key, 0, stage.Epochs, null, recall, improved: true, clock.Elapsed.TotalSeconds, logLikelihood));
        }
        while (StoppingRule.ShouldTrainOn(state.EpochsDone, state.BestEpoch, stage.Epochs, _config.Schedule.Patience, _config.Schedule.EarlyStoppingAfter))
        {
            int epoch = state.EpochsDone + 1;
            var clock = Stopwatch.StartNew();
            var rng = trainer.BeginEpoch(EpochSeed(_config.Recommender.Seed, stageIndex, epoch));
            double loss = trainer.TrainEpoch(sequences, stage.Stage, stage.Domain, rng, epoch, stage.Epochs,
                (step, steps, value) => _progress?.Invoke(new StageProgress(stage.Key, epoch, stage.Epochs, step, steps, value)));
            var (recall, logLikelihood) = Validate(model, stage, evaluation, users);
            double seconds = clock.Elapsed.TotalSeconds;
            string name = TrainingState.CheckpointName(stage.Key, epoch);
            model.SaveTo(CheckpointWeights(_dir, name));
            trainer.SaveOptimizerState(stage.Stage, stage.Domain, CheckpointOptimizer(_dir, name));
            state.History.Add(new EpochRecord(stage.Key, epoch, loss, recall, seconds, logLikelihood));
            // a tie goes to the later epoch (TIGER's backbone once kept epoch 1 of 4 on 0.0233 = 0.0233)
            double score = Score(stage, recall, logLikelihood);
            bool improved = state.BestScore is not { } bestScore || StoppingRule.Improves(score, bestScore);
            if (improved)
            {
                state.BestScore = score;
                state.BestEpoch = epoch;
            }
            state.EpochsDone = epoch;
            state.Checkpoint = name;
            state.Save(statePath); // the commit of this epoch
            RemoveUnnamedCheckpoints(state);
            _log?.Invoke(EpochLine.Format(stage.Key, epoch, stage.Epochs, loss, recall, improved, seconds, logLikelihood));
        }
        // keep the stage's best epoch (its frozen parts are identical in every epoch's weights); a stage of 0 epochs
        // leaves the model as the previous stage left it
        if (state.BestCheckpoint is { } best)
        {
            model.LoadFrom(CheckpointWeights(_dir, best));
            state.Checkpoint = best;
        }
        state.CompletedStages.Add(stage.Key);
        state.CurrentStage = null;
        state.EpochsDone = 0;
        state.Save(statePath);
        RemoveUnnamedCheckpoints(state);
        _log?.Invoke(stage.Epochs == 0 ? $"{stage.Key}: skipped (0 epochs)"
            : $"{stage.Key}: best validation {(stage.Selection == SelectionMetric.LogLikelihood ? "log-likelihood" : "R@10")} {state.BestScore:F4} at epoch {state.BestEpoch}" +
              (state.BestEpoch == 0 ? " (the starting model: no epoch of the stage beat it)" : ""));
    }

    /// <summary>Validation Recall@10 (mean over the stage's domains) of the model under the stage's scoring, and for a
    /// stage selected on it the mean log-likelihood of the same users' held-out items, from the same pass (the target's
    /// rank gives Recall@10 exactly as decoding's top 10 would).</summary>
    (double Recall10, double? LogLikelihood) Validate(GenerativeRecommender model, StagePlan stage, EvaluationOptions evaluation, UserHalf users)
    {
        var recommender = _sids.Recommender(model, passes: stage.Passes);
        if (stage.Selection == SelectionMetric.LogLikelihood)
        {
            var likelihood = Evaluator.EvaluateLikelihood(recommender, _data, Split.Validation, evaluation, k: 10, users);
            return (likelihood.Recall, likelihood.LogLikelihood);
        }
        return (Evaluator.Evaluate(recommender, _data, Split.Validation, evaluation, users: users).MeanOverDomains(RankingMetrics.RecallName(10)), null);
    }

    /// <summary>The quantity the stage's kept epoch is chosen on (<see cref="StagePlan.Selection"/>).</summary>
    static double Score(StagePlan stage, double recall10, double? logLikelihood) =>
        stage.Selection == SelectionMetric.LogLikelihood ? logLikelihood!.Value : recall10;

    /// <summary>Deletes every checkpoint file the state does not name: earlier epochs, and the files of an epoch that was
    /// killed before its state was written. The optimizer state is kept only while its stage runs.</summary>
    void RemoveUnnamedCheckpoints(TrainingState state)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in new[] { state.Checkpoint, state.BestCheckpoint }.OfType<string>())
            keep.Add(Path.GetFileName(CheckpointWeights(_dir, name)));
        if (state.CurrentStage is not null && state.Checkpoint is { } current)
            keep.Add(Path.GetFileName(CheckpointOptimizer(_dir, current)));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_dir, CheckpointFolder)))
            if (!keep.Contains(Path.GetFileName(file))) File.Delete(file);
    }
}
