namespace GenCdr.Benchmark;

/// <summary>The full model against one baseline in one domain on one metric. Beats is strict: a tie does not beat.
/// A side without a result is null, and then there is no verdict.</summary>
public sealed record BaselineVerdict(string Domain, string Model, string Baseline, string Metric, double? Ours, double? Theirs)
{
    public bool? Beats => Ours is { } o && Theirs is { } t ? o > t : null;

    /// <summary>"GenCDR beats TIGER (0.0403 vs 0.0397)", "GenCDR does not beat SASRec (…)", or why there is no verdict.</summary>
    public string Clause => Beats switch
    {
        true => $"{Model} beats {Baseline} ({ReportFormat.Metric(Ours)} vs {ReportFormat.Metric(Theirs)})",
        false => $"{Model} does not beat {Baseline} ({ReportFormat.Metric(Ours)} vs {ReportFormat.Metric(Theirs)})",
        null when Ours is null => $"{Model} has no {Metric} result, so it cannot be compared with {Baseline}",
        null => $"{Baseline} has no {Metric} result",
    };
}

/// <summary>
/// Whether the full model beats the named baselines per domain (the paper's headline claim, Table 2),
/// computed from our results on Recall@10 of the reported split: never written by hand.
/// </summary>
public static class BaselineVerdicts
{
    public const string Metric = "Recall@10";

    public static IReadOnlyList<BaselineVerdict> Compute(MeasuredResults ours, IReadOnlyList<string> baselines) =>
        ours.Domains.SelectMany(domain => baselines.Select(b => new BaselineVerdict(domain, ours.FullModel, b, Metric,
            ours.Metric(ours.FullModel, domain, Metric), ours.Metric(b, domain, Metric)))).ToList();

    /// <summary>One sentence per domain, e.g. "Sports (test Recall@10): GenCDR beats TIGER (0.0403 vs 0.0397);
    /// GenCDR does not beat SASRec (0.0300 vs 0.0334)."</summary>
    public static IReadOnlyList<string> Sentences(IReadOnlyList<BaselineVerdict> verdicts, string split) =>
        verdicts.GroupBy(v => v.Domain)
            .Select(g => $"{g.Key} ({split} {Metric}): {string.Join("; ", g.Select(v => v.Clause))}.")
            .ToList();

    /// <summary>"GenCDR beats TIGER and SASRec in 1 of 2 domains with results for all of them (sports)." — over domains
    /// where every verdict could be made; a baseline with no result in any domain (not run in this bench) is left out of
    /// the count and named instead.</summary>
    public static string Summary(IReadOnlyList<BaselineVerdict> verdicts)
    {
        if (verdicts.Count == 0) return "No domains to compare.";
        string model = verdicts[0].Model;
        var absent = verdicts.GroupBy(v => v.Baseline).Where(g => g.All(v => v.Theirs is null)).Select(g => g.Key).ToList();
        string notRun = absent.Count == 0 ? "" : $"{string.Join(" and ", absent)} {(absent.Count == 1 ? "has" : "have")} no result in this bench.";
        var compared = verdicts.Where(v => !absent.Contains(v.Baseline)).ToList();
        if (compared.Count == 0) return notRun;
        var decided = compared.GroupBy(v => v.Domain).Where(g => g.All(v => v.Beats is not null)).ToList();
        var won = decided.Where(g => g.All(v => v.Beats == true)).Select(g => g.Key).ToList();
        string baselines = string.Join(" and ", compared.Select(v => v.Baseline).Distinct());
        return $"{model} beats {baselines} in {won.Count} of {decided.Count} domains with results for all of them" +
               (won.Count > 0 ? $" ({string.Join(", ", won)})." : ".") + (notRun.Length > 0 ? " " + notRun : "");
    }
}
