using System.Diagnostics;
using System.Globalization;
using System.Text;
using GenCdr.Data;
using GenCdr.Evaluation;
using GenCdr.Training;

namespace GenCdr.Benchmark;

/// <summary>How a benchmark is run (none of it changes results, so none of it is part of suite.json).</summary>
public sealed record BenchOptions
{
    /// <summary>The bench folder (see <see cref="BenchFolder"/>).</summary>
    public required string Out { get; init; }

    /// <summary>Train only these models (names, case-insensitive); null: all of the suite. The report still
    /// includes every model finished in the folder by earlier runs.</summary>
    public IReadOnlyCollection<string>? Only { get; init; }

    /// <summary>No model is started once this much time has passed since the run began (a model already running
    /// finishes; cached models are still reported, they cost nothing); null: no limit.</summary>
    public TimeSpan? Budget { get; init; }

    public BenchObserver? Observer { get; init; }

    /// <summary>The clock of <see cref="Budget"/> (tests pass a manual one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>What a benchmark run did: per reported model its record, which models ran, came from the cache
/// (earlier runs) or were skipped, the combined results and the written report.</summary>
public sealed record BenchOutcome(
    string Folder, ResultsDocument Results, IReadOnlyList<BenchModelRecord> Models,
    IReadOnlyList<string> Ran, IReadOnlyList<string> Cached, IReadOnlyList<string> Skipped,
    BenchReportOutput Report, double WallSeconds)
{
    /// <summary>Each user's recorded group by user index, when the data set records them (<see cref="PreparedDataset.UserGroups"/>).</summary>
    public IReadOnlyList<string>? UserGroups { get; init; }
}

/// <summary>
/// Runs a benchmark suite: prepares the data set once, then for each model either reads its cached result or
/// trains it (<see cref="IBenchModel.Train"/>), evaluates it on the test split with the paper's protocol and
/// caches the result with its training time, peak memory, decoding throughput and loss curves; finally writes
/// the report (<see cref="BenchReport"/>) from every model finished in the folder, so that a suite run in parts
/// (--only, --budget-minutes) ends with one report of all of it.
/// </summary>
public static class BenchRunner
{
    public static BenchOutcome Run(BenchSuite suite, IReadOnlyList<IBenchModel> models, BenchOptions options)
    {
        var wall = Stopwatch.StartNew();
        var started = options.Time.GetUtcNow();
        var selected = options.Only is { Count: > 0 } only ? BenchModels.Only(models, only) : models;
        var folder = new BenchFolder(options.Out);
        folder.Begin(suite);
        var observer = options.Observer ?? new BenchObserver();
        var data = GenCdrPipeline.Data(suite.GenCdr, folder.DataRun, observer.Pipeline);
        var context = new BenchContext(data, suite, folder, observer);

        var records = new List<BenchModelRecord>();
        List<string> ran = [], cached = [], skipped = [];
        foreach (var model in models)
        {
            if (BenchModelRecord.TryLoad(folder.ModelResult(model.Name)) is { } record)
            {
                context.Log($"{model.Name}: finished in an earlier run ({Path.GetRelativePath(folder.Root, folder.ModelResult(model.Name))})");
                records.Add(record);
                cached.Add(model.Name);
                continue;
            }
            if (!selected.Contains(model)) continue;
            if (options.Budget is { } budget && options.Time.GetUtcNow() - started >= budget)
            {
                context.Log($"{model.Name}: skipped, the budget of {budget.TotalMinutes:0.#} min is used up");
                skipped.Add(model.Name);
                continue;
            }
            using (folder.ClaimModel(model.Name)) record = RunOne(model, context);
            record.Save(folder.ModelResult(model.Name));
            // the result is the model's cache now; its training checkpoint (if it kept one) is no longer needed
            if (Directory.Exists(folder.TrainingCheckpoint(model.Name))) Directory.Delete(folder.TrainingCheckpoint(model.Name), recursive: true);
            records.Add(record);
            ran.Add(model.Name);
        }

        var results = new ResultsDocument { Dataset = data.Name };
        foreach (var r in records) results.Add(r.Test);
        var latents = records.Any(r => r.Model == BenchModels.Full)
            ? BenchLatents.Of(new RunFolder(folder.ModelFolder(BenchModels.Full)), BenchGenCdrRun.BaseConfig(context), data)
            : [];
        var report = BenchReport.Write(folder.Root, new BenchReportInput
        {
            Results = results,
            RunInfo = records.ToDictionary(r => r.Model, r => r.RunInfo),
            Provenance = suite.Provenance.Trim() + "\n\n" + DatasetStatistics.Compute(data).Summary(),
            Protocol = Protocol(suite, records, skipped, options.Budget),
            PaperDomains = suite.PaperDomains,
            Latents = latents,
            LatentDomainNames = data.DomainNames,
            UserGroups = data.UserGroups,
            Seed = suite.GenCdr.Recommender.Seed,
            ValidationCurves = ValidationCurves.Read(folder, records.Select(r => r.Model)),
            Routing = BenchRouting.Of(context, records.Select(r => r.Model)),
            Ranks = records.Select(r => (r.Model, Ranks: TargetRanks.TryLoad(Path.Combine(folder.ModelFolder(r.Model), TargetRanks.FileName))))
                .Where(x => x.Ranks is not null).ToDictionary(x => x.Model, x => x.Ranks!),
        });
        return new BenchOutcome(folder.Root, results, records, ran, cached, skipped, report, wall.Elapsed.TotalSeconds) { UserGroups = data.UserGroups };
    }

    /// <summary>Trains and evaluates one model, measuring its cost.</summary>
    static BenchModelRecord RunOne(IBenchModel model, BenchContext context)
    {
        double residentBefore = BenchMemory.ResidentMb();
        var memory = BenchMemory.Start();
        var clock = Stopwatch.StartNew();
        using var trained = model.Train(context);
        double trainSeconds = (trained.TrainSeconds ?? clock.Elapsed.TotalSeconds) + trained.EarlierTrainSeconds;
        var test = Evaluator.Evaluate(trained.Recommender, context.Data, Split.Test, context.Suite.GenCdr.Evaluation,
            context.Observer.Evaluation?.Invoke($"evaluating {model.Name}"));
        double peak = memory.PeakMb();
        Directory.CreateDirectory(context.Folder.ModelFolder(model.Name));
        TargetRanks.Of(test).Save(Path.Combine(context.Folder.ModelFolder(model.Name), TargetRanks.FileName));
        context.Log($"{model.Name}: trained in {trainSeconds:F1} s, evaluated {test.UsersPerSecond:F0} users/s, peak memory {peak:F0} MB");
        var record = new BenchModelRecord
        {
            Model = model.Name,
            Test = test with { Model = model.Name },
            RunInfo = new ModelRunInfo
            {
                TrainSeconds = trainSeconds,
                PeakMemoryMb = peak,
                DecodeUsersPerSecond = test.UsersPerSecond,
                LossCurves = trained.LossCurves,
            },
            Note = trained.Note(),
            ResidentMbBefore = residentBefore,
            PeakIsPerModel = memory.PeakIsPerModel,
        };
        return record;
    }

    /// <summary>The settings that decide how long each model trained (the full configuration is suite.json).</summary>
    static string Settings(BenchSuite suite)
    {
        var (t, r, s) = (suite.GenCdr.Tokenizer, suite.GenCdr.Recommender, suite.GenCdr.Schedule);
        return string.Format(CultureInfo.InvariantCulture,
            "Settings (suite \"{0}\", full configuration in suite.json): text encoder {1}; tokenizer M={2}, K={3}, " +
            "{4} RQ-VAE epochs and {5} adapter epochs per domain; recommender d={6}, {7} layers, FFN {8}, at most {9} backbone, " +
            "{10} universal-expert, {11} domain-adapter and {12} router epochs per domain (early stopping after {13} epochs " +
            "without a better validation Recall@10 on {14} users per domain), beam {15}; SASRec d={16}, {17} blocks, at " +
            "most {18} epochs (patience {19}), trained with full-softmax cross-entropy; SASRec (BCE) is the same network " +
            "trained with the paper's loss (one sampled negative, binary cross-entropy), dropout {22}, weight decay {23}, at most " +
            "{20} epochs (patience {21}, {24} validation users per domain), the SASRec of published tables.",
            suite.Name, suite.GenCdr.Text.Kind, t.Levels, t.CodebookSize, t.Epochs, t.AdapterEpochs, r.DModel, r.Layers, r.FfnDim,
            r.BackboneEpochs, r.UniversalEpochs, r.DomainEpochs, r.RouterEpochs, s.Patience, s.ValidationQueries, r.BeamWidth,
            suite.SasRec.HiddenSize, suite.SasRec.Blocks, suite.SasRec.MaxEpochs, suite.SasRec.Patience,
            suite.SasRecOriginal.MaxEpochs, suite.SasRecOriginal.Patience, suite.SasRecOriginal.Dropout, suite.SasRecOriginal.WeightDecay,
            suite.SasRecOriginal.ValidationMaxQueries?.ToString(CultureInfo.InvariantCulture) ?? "all");
    }

    /// <summary>The evaluation protocol followed by what this run's cost columns mean and the models' notes.</summary>
    static string Protocol(BenchSuite suite, IReadOnlyList<BenchModelRecord> records, IReadOnlyList<string> skipped, TimeSpan? budget)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder(Evaluator.Protocol).Append("\n\n");
        text.Append(Settings(suite)).Append("\n\n");
        text.Append("All models are trained on the same training events with the same seeds and evaluated on every test ")
            .Append("user. **Training wall time**: for GenCDR, its variants and TIGER, the tokenizer (RQ-VAE stage 1, adapters ")
            .Append("and routers, ID assignment; a tokenizer shared by several variants is counted for each) plus every ")
            .Append("recommender epoch with its validation (the backbone stage is trained once for the variants that share the ")
            .Append("tokenizer and backbone settings, and counted for each of them); the item-text embedding (cached, ")
            .Append("shared) is not counted. For the ")
            .Append("other models the wall time of their training, validation epochs included. **Peak memory**: the peak ")
            .Append("resident set size of the benchmark process (VmHWM, /proc/self/status) while the model was trained and ")
            .Append("evaluated, reset before each model through /proc/self/clear_refs, so it includes what the process ")
            .Append("already held (runtime, data set: the resident size at the model's start is given below). ")
            .Append("**Decode users/s**: test users ranked per second by the evaluator (batches of 256).\n\n");
        text.Append("TIGER here is our stack reduced to TIGER's design: one universal RQ-VAE without MTM, no item adapters or ")
            .Append("router, and the backbone alone without experts. The original TIGER is an encoder–decoder T5 model; ours is ")
            .Append("the same decoder-only transformer as GenCDR's backbone.\n\n");
        foreach (var r in records)
        {
            text.Append("- ").Append(r.Model).Append(string.Format(c, ": resident memory at start {0:F0} MB{1}.",
                r.ResidentMbBefore, r.PeakIsPerModel ? "" : " (peak is the whole process's)"));
            if (!string.IsNullOrWhiteSpace(r.Note)) text.Append(' ').Append(r.Note.Trim());
            text.Append('\n');
        }
        if (skipped.Count > 0)
            text.Append(string.Format(c, "\nNot run (the time budget of {0:0.#} min was used up): {1}.\n",
                budget?.TotalMinutes ?? 0, string.Join(", ", skipped)));
        return text.ToString();
    }
}
