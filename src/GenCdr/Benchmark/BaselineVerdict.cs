using GenCdr.Evaluation;

namespace GenCdr.Benchmark;

/// <summary>The full model against one baseline in one domain on one metric. With the paired interval of the difference
/// over the same test users (<see cref="Interval"/>), the full model beats the baseline only when the interval lies above 0,
/// loses when it lies below, and is otherwise within noise; without one (a model cached before per-user ranks were kept)
/// the values decide and a tie does not beat. A side without a result is null, and then there is no verdict.</summary>
public sealed record BaselineVerdict(string Domain, string Model, string Baseline, string Metric, double? Ours, double? Theirs,
    PairedDifference? Interval = null)
{
    bool HasInterval => Interval is { Users: > 0 };

    public bool? Beats => Ours is { } o && Theirs is { } t ? (HasInterval ? Interval!.Value.Low > 0 : o > t) : null;

    /// <summary>The baseline is better with an interval that lies below 0.</summary>
    public bool Loses => Beats == false && HasInterval && Interval!.Value.High < 0;

    /// <summary>"GenCDR beats TIGER (0.0403 vs 0.0397; +0.0006 [+0.0002, +0.0010])", "… is within noise of …",
    /// "… loses to …", "… does not beat …" (no interval), or why there is no verdict.</summary>
    public string Clause
    {
        get
        {
            string values = $"{ReportFormat.Metric(Ours)} vs {ReportFormat.Metric(Theirs)}" +
                            (HasInterval ? "; " + DifferenceTable.Format(Interval!.Value).Replace(" within noise", "") : "");
            return Beats switch
            {
                true => $"{Model} beats {Baseline} ({values})",
                false when Loses => $"{Model} loses to {Baseline} ({values})",
                false when HasInterval => $"{Model} is within noise of {Baseline} ({values})",
                false => $"{Model} does not beat {Baseline} ({values})",
                null when Ours is null => $"{Model} has no {Metric} result, so it cannot be compared with {Baseline}",
                null => $"{Baseline} has no {Metric} result",
            };
        }
    }
}

/// <summary>
/// Whether the full model beats the compared baselines per domain (the paper's headline claim, Table 2),
/// computed from our results on Recall@10 of the reported split, with the paired interval wherever both models kept
/// their per-user ranks: never written by hand.
/// </summary>
public static class BaselineVerdicts
{
    public const string Metric = "Recall@10";

    /// <summary>The models the full model is judged against by default: every measured model that is neither a GenCDR
    /// variant nor one of the floors (Popularity, RecentSameDomain), in the results' order.</summary>
    public static IReadOnlyList<string> DefaultBaselines(MeasuredResults ours) =>
        ours.Models.Where(m => m != ours.FullModel && !m.StartsWith(ours.FullModel + " ", StringComparison.OrdinalIgnoreCase)
                               && m is not ("Popularity" or "RecentSameDomain")).ToList();

    /// <param name="ranks">model → per-user test ranks (<see cref="DifferenceTable"/>); null or missing: values only</param>
    /// <param name="domainIndex">domain name → its index in the ranks (needed with <paramref name="ranks"/>)</param>
    public static IReadOnlyList<BaselineVerdict> Compute(MeasuredResults ours, IReadOnlyList<string> baselines,
        IReadOnlyDictionary<string, TargetRanks>? ranks = null, Func<string, int>? domainIndex = null) =>
        ours.Domains.SelectMany(domain => baselines.Select(b => new BaselineVerdict(domain, ours.FullModel, b, Metric,
            ours.Metric(ours.FullModel, domain, Metric), ours.Metric(b, domain, Metric),
            Interval(ranks, ours.FullModel, b, domain, domainIndex)))).ToList();

    static PairedDifference? Interval(IReadOnlyDictionary<string, TargetRanks>? ranks, string full, string baseline, string domain,
        Func<string, int>? domainIndex)
    {
        if (ranks is null || domainIndex is null || !ranks.TryGetValue(full, out var mine) || !ranks.TryGetValue(baseline, out var theirs)) return null;
        int d = domainIndex(domain);
        if (d < 0) return null;
        var interval = DifferenceTable.Interval(mine, theirs, d, Metric);
        return interval.Users == 0 ? null : interval;
    }

    /// <summary>One sentence per domain, e.g. "Sports (test Recall@10): GenCDR beats TIGER (0.0403 vs 0.0397; …);
    /// GenCDR is within noise of SASRec (…)."</summary>
    public static IReadOnlyList<string> Sentences(IReadOnlyList<BaselineVerdict> verdicts, string split) =>
        verdicts.GroupBy(v => v.Domain)
            .Select(g => $"{g.Key} ({split} {Metric}): {string.Join("; ", g.Select(v => v.Clause))}.")
            .ToList();

    /// <summary>"GenCDR beats TIGER and SASRec in 1 of 2 domains with results for all of them (sports)." — over domains
    /// where every verdict could be made; a baseline with no result in any domain (not run in this bench) is left out of
    /// the count and named instead; the baselines it loses to are named per domain.</summary>
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
        var names = compared.Select(v => v.Baseline).Distinct().ToList();
        string baselines = names.Count <= 2 ? string.Join(" and ", names) : $"all {names.Count} compared baselines ({string.Join(", ", names)})";
        var losses = compared.Where(v => v.Loses).GroupBy(v => v.Domain)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(v => v.Baseline))}").ToList();
        return $"{model} beats {baselines} in {won.Count} of {decided.Count} domains with results for all of them" +
               (won.Count > 0 ? $" ({string.Join(", ", won)})." : ".") +
               (losses.Count > 0 ? $" It loses to {string.Join("; ", losses)}." : "") +
               (notRun.Length > 0 ? " " + notRun : "");
    }
}
