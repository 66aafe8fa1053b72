using System.Globalization;
using GenCdr.Evaluation;

namespace GenCdr.Benchmark;

/// <summary>
/// The report's table of paired differences: the full model against every other model whose per-user ranks were
/// kept (<see cref="TargetRanks"/>), per domain, on Recall@10 and NDCG@10, each with its 95 % paired bootstrap interval
/// over the test users both models were evaluated on (<see cref="PairedBootstrap"/>). A difference whose interval
/// covers 0 is printed as "within noise", and no claim is made from it.
/// </summary>
public static class DifferenceTable
{
    public static readonly string[] Metrics = ["Recall@10", "NDCG@10"];

    /// <param name="ranks">model → its test ranks</param>
    /// <param name="domains">the domains' names, by domain index</param>
    public static string Render(string fullModel, IReadOnlyDictionary<string, TargetRanks> ranks, IReadOnlyList<string> domains)
    {
        if (!ranks.TryGetValue(fullModel, out var full) || ranks.Count < 2)
            return "No two models of this run kept their per-user test ranks, so no difference can be given an interval.\n\n";
        var table = new MarkdownTable(["compared with", "domain", .. Metrics.Select(m => $"{fullModel} − it, {m} [95 % CI]"), "users"]);
        AddRows(table, fullModel, full, ranks, domains, null);
        return Explanation + "\n\n" + table + "\n";
    }

    /// <summary>The same differences within each recorded group of users (a designed data set's user kinds: the design
    /// predicts an ablation's effect for one kind, e.g. the universal pass for transfer users in their receiving
    /// domain, and the whole-domain difference dilutes it with the other kinds). A group written for one domain
    /// (<see cref="GenCdr.Data.PreparedDataset.GroupInDomain"/>) counts in that domain only.</summary>
    /// <param name="groups">each user's group by user index ("" for none)</param>
    public static string RenderByGroup(string fullModel, IReadOnlyDictionary<string, TargetRanks> ranks, IReadOnlyList<string> domains,
        IReadOnlyList<string> groups)
    {
        if (!ranks.TryGetValue(fullModel, out var full) || ranks.Count < 2) return "";
        var table = new MarkdownTable(["compared with", "domain", "users' group", .. Metrics.Select(m => $"{fullModel} − it, {m} [95 % CI]"), "users"]);
        AddRows(table, fullModel, full, ranks, domains, groups);
        return "### The same differences per recorded group of users\n\n" + Explanation +
               " A group written for one domain (\"transfer@apparel\") counts in that domain only.\n\n" + table + "\n";
    }

    const string Explanation = "Paired over the same test users (2,000 bootstrap resamples of the users, percentile interval). " +
                               "\"within noise\": the interval covers 0.";

    /// <summary>The paired bootstrap interval of full − other on <paramref name="metric"/> over the users of domain
    /// <paramref name="domain"/> both ranked (only those <paramref name="include"/> accepts, if given).</summary>
    public static PairedDifference Interval(TargetRanks full, TargetRanks other, int domain, string metric, Func<int, bool>? include = null)
    {
        var (mine, theirs) = full.Paired(other, domain, metric, include);
        return PairedBootstrap.Interval(mine, theirs);
    }

    static void AddRows(MarkdownTable table, string fullModel, TargetRanks full, IReadOnlyDictionary<string, TargetRanks> ranks,
        IReadOnlyList<string> domains, IReadOnlyList<string>? groups)
    {
        // each user's group as it counts in each domain, and the groups present there: computed once, not per model
        var perDomain = domains.Select(domain => groups is null ? (GroupOf: null, Kinds: [""]) : GroupsIn(groups, domain)).ToArray();
        var groupIn = perDomain.Select(p => p.GroupOf).ToArray();
        var kinds = perDomain.Select(p => p.Kinds).ToArray();
        foreach (var (model, other) in ranks.Where(kv => kv.Key != fullModel).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            for (int d = 0; d < domains.Count; d++)
                foreach (var kind in kinds[d])
                {
                    var cells = new List<string> { model, domains[d] };
                    if (groups is not null) cells.Add(kind);
                    var inDomain = groupIn[d];
                    int users = 0;
                    foreach (var metric in Metrics)
                    {
                        var diff = Interval(full, other, d, metric, inDomain is null ? null : user => inDomain[user] == kind);
                        users = diff.Users;
                        cells.Add(Format(diff));
                    }
                    if (users == 0) continue;
                    cells.Add(users.ToString("N0", CultureInfo.InvariantCulture));
                    table.AddRow(cells);
                }
    }

    /// <summary>Each user's group as it counts in <paramref name="domain"/> (<see cref="GenCdr.Data.PreparedDataset.GroupInDomain"/>),
    /// and the groups present there, in order.</summary>
    public static (string[] GroupOf, string[] Kinds) GroupsIn(IReadOnlyList<string> groups, string domain)
    {
        var groupOf = groups.Select(g => GenCdr.Data.PreparedDataset.GroupInDomain(g, domain)).ToArray();
        return (groupOf, groupOf.Where(k => k != "").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());
    }

    public static string Format(PairedDifference d) =>
        $"{SignedNumber.Format(d.Difference, 4)} [{SignedNumber.Format(d.Low, 4)}, {SignedNumber.Format(d.High, 4)}]{(d.WithinNoise ? " within noise" : "")}";
}
