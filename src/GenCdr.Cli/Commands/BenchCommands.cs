using System.CommandLine;
using GenCdr.Benchmark;
using GenCdr.Data;
using GenCdr.Evaluation;
using Spectre.Console;

namespace GenCdr.Cli.Commands;

/// <summary><c>gencdr bench SUITE</c>: every model of a suite trained, evaluated and reported next to the paper.</summary>
static class BenchCommands
{
    /// <param name="subcommands">other measurements under `bench` (serve, speed)</param>
    public static Command Create(params Command[] subcommands)
    {
        var suite = new Argument<string>("suite")
        {
            Description = $"The benchmark suite: {string.Join(", ", BenchSuites.Names)}.",
        };
        var only = new Option<string[]>("--only")
        {
            Description = "Run only these models (case-insensitive; quote names with spaces, e.g. \"GenCDR w/o MTM\").",
            AllowMultipleArgumentsPerToken = true,
        };
        var budget = new Option<double?>("--budget-minutes") { Description = "Start no new model after this many minutes (finished models are still reported)." };
        var output = new Option<string?>("--out") { Description = "The bench folder (default: runs/bench/SUITE); a re-run in the same folder only does what is missing." };
        var seeds = new Option<int>("--seeds")
        {
            Description = "Train every model under this many training seeds (seed k ≥ 1 in OUT/seeds/seed-k) and write seed-spread.md: " +
                          "each model's mean ± std and each difference with the full model: its spread over the seeds and its interval pooled over them " +
                          "(overall and per recorded group of users; the budget applies to each seed).",
            DefaultValueFactory = _ => 1,
        };
        var dataRoot = new Option<string>("--data-root")
        {
            Description = "Folder of the shared Amazon data (the Amazon suites).",
            DefaultValueFactory = _ => BenchSuites.DefaultDataRoot,
        };
        var command = new Command("bench", "Benchmark: Popularity, RecentSameDomain, SASRec, TIGER, GenCDR and its Table-3 ablations " +
                                           "on one suite; writes report.md, results.json and figures, and prints the Table-2-style results.");
        command.Arguments.Add(suite);
        foreach (var sub in subcommands) command.Subcommands.Add(sub);
        foreach (var option in new Option[] { only, budget, output, seeds, dataRoot }) command.Options.Add(option);
        command.SetGuardedAction(parse =>
        {
            var chosen = BenchSuites.Resolve(parse.GetValue(suite)!, parse.GetValue(dataRoot)!);
            string folder = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine("runs", "bench", chosen.Name));
            Cli.ApplyThreads(parse);
            AnsiConsole.MarkupLineInterpolated($"bench folder: [green]{folder}[/]");
            int seedCount = parse.GetValue(seeds);
            var options = new BenchOptions
            {
                Out = folder,
                Only = parse.GetValue(only) is { Length: > 0 } names ? names : null,
                Budget = parse.GetValue(budget) is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
            };
            if (seedCount == 1)
                Print(PipelineConsole.Run((observer, bar) => BenchRunner.Run(chosen, BenchModels.For(chosen),
                    options with { Observer = new BenchObserver { Pipeline = observer, Evaluation = bar } })));
            else
            {
                var (outcomes, spread) = PipelineConsole.Run((observer, bar) => SeedSpread.Run(chosen, BenchModels.For,
                    options with { Observer = new BenchObserver { Pipeline = observer, Evaluation = bar } }, seedCount));
                foreach (var outcome in outcomes) Print(outcome);
                AnsiConsole.MarkupLineInterpolated($"spread over {seedCount} seeds: [green]{spread}[/]");
            }
            return 0;
        });
        return command;
    }

    static void Print(BenchOutcome outcome)
    {
        AnsiConsole.Write(ResultsStore.RenderTable(outcome.Results, Split.Test));
        var cost = new Table { Title = new TableTitle("cost per model") };
        foreach (var column in new[] { "model", "status", "training (s)", "peak memory (MB)", "decode users/s" }) cost.AddColumn(column);
        foreach (var r in outcome.Models)
            cost.AddRow(Markup.Escape(r.Model), outcome.Cached.Contains(r.Model) ? "cached" : "ran",
                $"{r.RunInfo.TrainSeconds:F1}", $"{r.RunInfo.PeakMemoryMb:F0}", $"{r.RunInfo.DecodeUsersPerSecond:F1}");
        AnsiConsole.Write(cost);
        if (outcome.Skipped.Count > 0)
            AnsiConsole.MarkupLineInterpolated($"[yellow]not run (budget used up):[/] {string.Join(", ", outcome.Skipped)}");
        foreach (var verdict in BaselineVerdicts.Sentences(outcome.Report.Verdicts, "test"))
            AnsiConsole.MarkupLineInterpolated($"[grey]{verdict}[/]");
        AnsiConsole.MarkupLineInterpolated($"report: [green]{outcome.Report.ReportPath}[/] ({outcome.WallSeconds:F0} s)");
    }
}
