using System.CommandLine;
using GenCdr.Baselines;
using GenCdr.Data;
using GenCdr.Decoding;
using GenCdr.Benchmark;
using GenCdr.Evaluation;
using GenCdr.Training;
using Spectre.Console;

namespace GenCdr.Cli.Commands;

/// <summary><c>gencdr tokenize | train | run | evaluate</c>: GenCDR end to end on a run folder.</summary>
static class PipelineCommands
{
    enum Until { Tokenize, Train, Evaluate }

    public static IEnumerable<Command> Create()
    {
        yield return Pipeline("tokenize", "Item text → embeddings → RQ-VAE semantic IDs with domain adapters and the item router (paper §1).", Until.Tokenize);
        yield return Pipeline("train", "Tokenize, then train the recommender stages (backbone, universal experts, domain adapters, user router).", Until.Train);
        yield return Pipeline("run", "The main job: data → tokenize → train → evaluate GenCDR next to the baselines (built-in data set by default).", Until.Evaluate);
        yield return Evaluate();
    }

    static Command Pipeline(string name, string description, Until until)
    {
        var options = new RunOptions();
        var command = new Command(name, description);
        options.AddTo(command);
        command.SetGuardedAction(parse =>
        {
            var config = options.Build(parse);
            var folder = new RunFolder(Cli.RunFolder(parse.GetValue(options.Out), name));
            folder.Begin(config);
            AnsiConsole.MarkupLineInterpolated($"run folder: [green]{folder.Root}[/]");
            Cli.ApplyThreads(parse);
            var data = ConsoleUi.Status(() => GenCdrPipeline.Data(config, folder), $"preparing {config.Data.Source}");
            AnsiConsole.Write(DatasetStatistics.Compute(data).ToTable());
            GenCdrRecommender? gencdr = null;
            var results = PipelineConsole.Run((observer, bar) =>
            {
                var (_, table) = GenCdrPipeline.Tokenize(data, config, folder, observer);
                if (until == Until.Tokenize) return null;
                var sids = SemanticIds.For(data, table, config);
                var model = GenCdrPipeline.Train(data, sids, config, folder, observer);
                if (until == Until.Train) return null;
                gencdr = GenCdrPipeline.Recommender(model, sids);
                var models = new List<IRecommender> { gencdr };
                models.Add(SasRec(folder, data, config.SasRec, observer, bar("training SASRec")));
                models.AddRange(BaselineModels(data));
                return models.Select(m => Evaluator.Evaluate(m, data, Split.Test, config.Evaluation, bar($"evaluating {m.Name}"))).ToList();
            });
            if (results is not null) Report(folder, data, results);
            if (gencdr is not null) ReportRouting(folder, data, gencdr, config.Evaluation.SampleSeed);
            AnsiConsole.MarkupLineInterpolated($"artifacts in [green]{folder.Root}[/]");
            return 0;
        });
        return command;
    }

    /// <summary>SASRec (<see cref="RunConfig.SasRec"/>: full-softmax cross-entropy by default, early stopping on
    /// validation Recall@10), trained on the same training events: the strong baseline of the main job. Its best weights
    /// are saved in the run folder, so that re-running a finished folder only evaluates.</summary>
    static IRecommender SasRec(RunFolder folder, PreparedDataset data, SasRecConfig config, PipelineObserver observer, IProgress<double> progress)
    {
        config.Validate();
        if (File.Exists(folder.SasRecWeights))
        {
            observer.Log?.Invoke($"SASRec: loaded from {folder.SasRecWeights}");
            progress.Report(1);
            return SasRecRecommender.Load(folder.SasRecWeights, config, data.Items.Select(i => i.Count).ToArray());
        }
        var (model, report) = new SasRecTrainer(config).Train(data, epoch =>
        {
            progress.Report((double)epoch.Epoch / config.MaxEpochs);
            observer.Log?.Invoke(EpochLine.Format("SASRec", epoch.Epoch, config.MaxEpochs, epoch.Loss, epoch.ValidationRecallAt10, epoch.Improved, epoch.Seconds));
        });
        progress.Report(1);
        observer.Log?.Invoke($"SASRec: best validation R@10 {report.BestValidationRecallAt10:F4} at epoch {report.BestEpoch}");
        model.Save(folder.SasRecWeights);
        return model;
    }

    /// <summary>The floors every model must beat, trained on the same training events.</summary>
    static IEnumerable<IRecommender> BaselineModels(PreparedDataset data)
    {
        var popularity = new PopularityRecommender(data);
        yield return popularity;
        yield return new RecentSameDomainRecommender(popularity);
    }

    static Command Evaluate()
    {
        var run = new Option<string>("--run") { Description = "A run folder written by `gencdr train` or `gencdr run`.", Required = true };
        var split = new Option<Split>("--split") { Description = "Validation or Test.", DefaultValueFactory = _ => Split.Test };
        var baselines = new Option<bool>("--baselines") { Description = "Also evaluate the baselines on the same split." };
        var device = Cli.DeviceOption("the run's configuration");
        var command = new Command("evaluate", "Evaluate a trained run (full ranking, Recall/NDCG@5/10 per domain) and write results.json and predictions.tsv.");
        command.Options.Add(run);
        command.Options.Add(split);
        command.Options.Add(baselines);
        command.Options.Add(device);
        command.SetGuardedAction(parse =>
        {
            var (folder, saved) = RunFolder.Open(parse.GetValue(run)!);
            var config = Cli.ApplyDevice(parse, device, saved);
            Cli.ApplyThreads(parse);
            var (data, _, model) = ConsoleUi.Status(() => GenCdrPipeline.Load(folder, config), "loading the run");
            var models = new List<IRecommender> { model };
            if (parse.GetValue(baselines)) models.AddRange(BaselineModels(data));
            var results = PipelineConsole.Run((_, bar) =>
                models.Select(m => Evaluator.Evaluate(m, data, parse.GetValue(split), config.Evaluation, bar($"evaluating {m.Name}"))).ToList());
            Report(folder, data, results);
            ReportRouting(folder, data, model, config.Evaluation.SampleSeed);
            return 0;
        });
        return command;
    }

    /// <summary>Measures the user router and the MoE gate on a fixed sample of test users (<see cref="RouterDiagnostics"/>),
    /// writes routing.json and prints a line per domain and layer.</summary>
    static void ReportRouting(RunFolder folder, PreparedDataset data, GenCdrRecommender model, int seed)
    {
        var routing = ConsoleUi.Status(() => RouterDiagnostics.Measure(model, data, Split.Test, BenchRouting.UsersPerDomain, seed), "measuring the routers");
        RouterDiagnostics.Save(routing, Path.Combine(folder.Root, RouterDiagnostics.FileName));
        foreach (var g in routing.ExpertGates)
            AnsiConsole.MarkupLineInterpolated($"MoE gate, layer {g.Layer}: mean expert weights {string.Join(" · ", g.MeanWeights.Select(w => w.ToString("F3")))}; entropy {g.MeanEntropy / g.MaxEntropy:F3} × ln K");
        foreach (var r in routing.Users)
            AnsiConsole.MarkupLineInterpolated(
                $"user router ({r.Domain}, {r.Users} test users): w mean {r.Weight.Mean:F3} std {r.Weight.Std:F3} p5 {r.Weight.P5:F3} p95 {r.Weight.P95:F3}; r(w, in-domain share) {r.ShareCorrelation:F2}; KL(P_dom ‖ P_univ) {r.MeanDivergence:F3} nats{(r.Groups is { } g ? $"; AUC of w, {g.Positive} vs {g.Negative} users ({g.PositiveUsers}/{g.NegativeUsers}): {g.Auc:F2}" : "")}{(r.Inert ? " (inert)" : "")}");
    }

    /// <summary>Prints the results table and writes results.json, results.txt and predictions.tsv.</summary>
    static void Report(RunFolder folder, PreparedDataset data, IReadOnlyList<EvaluationResult> results)
    {
        var document = ResultsStore.Append(folder.Results, data.Name, results);
        PredictionsWriter.Write(folder.Predictions, data, results);
        foreach (var split in results.Select(r => r.Split).Distinct())
        {
            var table = ResultsStore.RenderTable(document, split);
            AnsiConsole.Write(table);
            var text = new StringWriter();
            var plain = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
            plain.Profile.Width = 200;
            plain.Write(table);
            File.AppendAllText(folder.ResultsText, text.ToString());
        }
        foreach (var r in results)
            AnsiConsole.MarkupLineInterpolated($"[grey]{r.Model}: {r.WallSeconds:F1} s, {r.UsersPerSecond:F0} users/s[/]");
    }
}
