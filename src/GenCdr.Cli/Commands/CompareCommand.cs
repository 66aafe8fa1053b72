using System.CommandLine;
using System.Globalization;
using GenCdr.Benchmark;
using GenCdr.Evaluation;
using Spectre.Console;

namespace GenCdr.Cli.Commands;

/// <summary><c>gencdr compare A B</c>: two runs (or two models of one run) compared per domain with paired 95 % intervals.</summary>
static class CompareCommand
{
    public static Command Create()
    {
        var first = new Argument<string>("a") { Description = "The baseline: a run folder or a predictions.tsv, optionally with :MODEL (default: its first model, GenCDR in a run folder)." };
        var second = new Argument<string>("b") { Description = "The one compared with it (B − A is reported), the same forms." };
        var k = new Option<int>("-k") { Description = "Cut-off of Recall@K and NDCG@K.", DefaultValueFactory = _ => 10 };
        var split = new Option<string>("--split") { Description = "test or validation (the rows the runs wrote).", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "validation");
        var command = new Command("compare", "Compare two runs' predictions per domain: B − A of Recall@K and NDCG@K with the paired 95 % bootstrap interval over the users both ranked (\"within noise\" when it covers 0).");
        command.Arguments.Add(first);
        command.Arguments.Add(second);
        command.Options.Add(k);
        command.Options.Add(split);
        command.SetGuardedAction(parse =>
        {
            int top = parse.GetValue(k);
            if (top < 1) throw new GenCdrException($"-k must be at least 1 (got {top})");
            var a = Read(parse.GetValue(first)!, parse.GetValue(split)!);
            var b = Read(parse.GetValue(second)!, parse.GetValue(split)!);
            var rows = PredictionsComparison.Compare(a, b, top, out int unpaired);
            var c = CultureInfo.InvariantCulture;
            AnsiConsole.MarkupLineInterpolated($"A = {a.Model} in {a.Source}\nB = {b.Model} in {b.Source}");
            var table = new Table().AddColumns(new[] { "domain", "users", $"R@{top} A", $"R@{top} B", $"B − A, R@{top} [95 % CI]", $"B − A, N@{top} [95 % CI]" }
                .Select(h => new TableColumn(Markup.Escape(h))).ToArray());
            foreach (var r in rows)
                table.AddRow(new[] { r.Domain, r.Recall.Users.ToString("N0", c), r.RecallA.ToString("F4", c), r.RecallB.ToString("F4", c), DifferenceTable.Format(r.Recall), DifferenceTable.Format(r.Ndcg) }
                    .Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
            if (unpaired > 0) AnsiConsole.MarkupLineInterpolated($"[yellow]{unpaired} (user, domain) rows appear in only one of the two and are left out[/]");
            return 0;
        });
        return command;
    }

    /// <summary>"DIR", "DIR:MODEL", "FILE.tsv" or "FILE.tsv:MODEL".</summary>
    static PredictionSet Read(string spec, string split)
    {
        string path = spec;
        string? model = null;
        int colon = spec.LastIndexOf(':');
        if (colon > 0 && !File.Exists(spec) && !Directory.Exists(spec)) (path, model) = (spec[..colon], spec[(colon + 1)..]);
        if (Directory.Exists(path)) path = Path.Combine(path, "predictions.tsv");
        return PredictionsComparison.Read(path, model, split);
    }
}
