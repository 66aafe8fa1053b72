using System.Globalization;
using GenCdr.Data;
using GenCdr.Evaluation;

namespace GenCdr.Benchmark;

/// <summary>
/// A suite run under several training seeds (issue #12): the paired intervals of one run say how much a difference
/// could move with other test users, not with another training run; the spread over seeds says the second. Seed 0 is
/// the bench folder itself (the results of a one-seed run); seed k ≥ 1 runs in <see cref="Folder"/> with every
/// training seed shifted by k (<see cref="WithTrainingSeedOffset"/>), on the same data, split and validation users.
/// <see cref="FileName"/> gives per model its mean and standard deviation over the seeds, and per comparison with the
/// full model the mean and spread of the difference, in how many seeds its paired interval excluded 0, and the interval
/// of the difference pooled over the seeds (<see cref="Pooled"/>).
/// </summary>
public static class SeedSpread
{
    public const string FileName = "seed-spread.md";

    /// <summary>The bench folder of training seed <paramref name="seed"/> ≥ 1 under the main one.</summary>
    public static string Folder(string root, int seed) => Path.Combine(root, "seeds", $"seed-{seed}");

    /// <summary>The suite with every training seed shifted by <paramref name="offset"/>: the tokenizer's, the recommender's,
    /// SASRec's (both losses) and BERT4Rec's. The data (generator, split) and the validation sample keep theirs.</summary>
    public static BenchSuite WithTrainingSeedOffset(BenchSuite suite, int offset) => suite with
    {
        GenCdr = suite.GenCdr with
        {
            Tokenizer = suite.GenCdr.Tokenizer with { Seed = suite.GenCdr.Tokenizer.Seed + offset },
            Recommender = suite.GenCdr.Recommender with { Seed = suite.GenCdr.Recommender.Seed + offset },
        },
        SasRec = suite.SasRec with { Seed = suite.SasRec.Seed + offset },
        SasRecOriginal = suite.SasRecOriginal with { Seed = suite.SasRecOriginal.Seed + offset },
        Bert4Rec = suite.Bert4Rec with { Seed = suite.Bert4Rec.Seed + offset },
    };

    /// <summary>Runs the suite under <paramref name="seeds"/> training seeds (each a normal, resumable bench run in its
    /// folder), then writes <see cref="FileName"/> into the main folder. Returns every seed's outcome and that file.</summary>
    public static (IReadOnlyList<BenchOutcome> Outcomes, string Path) Run(BenchSuite suite, Func<BenchSuite, IReadOnlyList<IBenchModel>> models,
        BenchOptions options, int seeds)
    {
        if (seeds < 1) throw new GenCdrException($"bench: --seeds must be at least 1 (got {seeds})");
        var outcomes = new List<BenchOutcome>();
        for (int k = 0; k < seeds; k++)
        {
            var seeded = k == 0 ? suite : WithTrainingSeedOffset(suite, k);
            outcomes.Add(BenchRunner.Run(seeded, models(seeded), options with { Out = k == 0 ? options.Out : Folder(options.Out, k) }));
        }
        string path = System.IO.Path.Combine(outcomes[0].Folder, FileName);
        AtomicFile.WriteAllText(path, Render(outcomes.Select(o => Seed.Of(o)).ToList(), BenchModels.Full));
        return (outcomes, path);
    }

    /// <summary>One seed's results: per model its test evaluation and, when kept, its per-user ranks; and each user's
    /// recorded group when the data set records them (the same in every seed: the data are not reseeded).</summary>
    public sealed record Seed(IReadOnlyDictionary<string, EvaluationResult> Results, IReadOnlyDictionary<string, TargetRanks> Ranks)
    {
        public IReadOnlyList<string>? UserGroups { get; init; }

        public static Seed Of(BenchOutcome outcome)
        {
            var folder = new BenchFolder(outcome.Folder);
            return new Seed(outcome.Models.ToDictionary(r => r.Model, r => r.Test),
                outcome.Models.Select(r => (r.Model, Ranks: TargetRanks.TryLoad(System.IO.Path.Combine(folder.ModelFolder(r.Model), TargetRanks.FileName))))
                    .Where(x => x.Ranks is not null).ToDictionary(x => x.Model, x => x.Ranks!)) { UserGroups = outcome.UserGroups };
        }
    }

    /// <summary>The markdown of <see cref="FileName"/> for the models every seed has.</summary>
    public static string Render(IReadOnlyList<Seed> seeds, string fullModel)
    {
        var c = CultureInfo.InvariantCulture;
        var models = seeds.Select(s => s.Results.Keys).Aggregate((a, b) => a.Intersect(b)).Order(StringComparer.Ordinal).ToList();
        var domains = models.Count == 0 ? [] : seeds[0].Results[models[0]].Domains.Select(d => d.Domain).ToList();
        var text = new System.Text.StringBuilder();
        text.Append(string.Format(c, "# Spread over {0} training seeds\n\nEach seed trains every model again (tokenizer, recommender, " +
            "SASRec, BERT4Rec seeds + k) on the same data, split and validation users; test split, every user. Mean ± standard " +
            "deviation over the seeds (sample std; the values in brackets, seed 0 first).\n\n", seeds.Count));
        string Values(IEnumerable<double> v) { var a = v.ToArray(); return string.Format(c, "{0:0.0000} ± {1:0.0000} ({2})", a.Average(), Std(a), string.Join(" · ", a.Select(x => x.ToString("0.0000", c)))); }
        var table = new MarkdownTable(["model", "domain", .. DifferenceTable.Metrics]);
        foreach (var model in models)
            foreach (var domain in domains)
                table.AddRow([model, domain, .. DifferenceTable.Metrics.Select(m => Values(seeds.Select(s => s.Results[model].Metric(domain, m))))]);
        text.Append(table).Append('\n');

        var compared = models.Where(m => m != fullModel && seeds.All(s => s.Ranks.ContainsKey(m) && s.Ranks.ContainsKey(fullModel))).ToList();
        if (compared.Count == 0) return text.Append("No model kept its per-user ranks in every seed beside the full model: no paired differences.\n").ToString();
        text.Append(string.Format(c, "## {0} − each model\n\nPer seed the paired difference over the same test users with its 95 % bootstrap " +
            "interval; here their mean ± std over the seeds, and in how many seeds the interval excluded 0 (+: the full model ahead, −: behind). " +
            "A difference is consistent only when every seed's interval excludes 0 on the same side; otherwise it is within noise in the seeds " +
            "that say so. \"Pooled\": each test user's metric averaged over the seeds for both models, then the paired bootstrap over the " +
            "users (the same test users in every seed): the difference the seeds' models make on average, with the interval of its test " +
            "sample; \"within noise\" when it covers 0.\n\n", fullModel));
        var differences = new MarkdownTable(["compared with", "domain",
            .. DifferenceTable.Metrics.SelectMany(m => new[] { $"{fullModel} − it, {m}, per seed", $"pooled over the seeds, {m} [95 % CI]" })]);
        foreach (var model in compared)
        {
            var pairs = seeds.Select(s => (Full: s.Ranks[fullModel], Other: s.Ranks[model])).ToList();
            for (int d = 0; d < domains.Count; d++)
            {
                var cells = new List<string> { model, domains[d] };
                foreach (var metric in DifferenceTable.Metrics)
                {
                    var per = pairs.Select(p => DifferenceTable.Interval(p.Full, p.Other, d, metric)).ToList();
                    int ahead = per.Count(p => !p.WithinNoise && p.Difference > 0), behind = per.Count(p => !p.WithinNoise && p.Difference < 0);
                    string verdict = ahead == per.Count ? "consistent +" : behind == per.Count ? "consistent −" : "within noise";
                    cells.Add(SignedNumber.Format(per.Average(p => p.Difference), 4) + string.Format(c, " ± {0:0.0000}; excludes 0 in {1}+ / {2}− of {3}: {4}",
                        Std(per.Select(p => p.Difference).ToArray()), ahead, behind, per.Count, verdict));
                    cells.Add(Pooled(pairs, d, metric) is { } pooled
                        ? DifferenceTable.Format(pooled) : "– (the seeds' test users differ)");
                }
                differences.AddRow(cells);
            }
        }
        text.Append(differences).Append('\n');
        if (seeds[0].UserGroups is { } groups) text.Append(PooledByGroup(seeds, fullModel, compared, domains, groups));
        return text.ToString();
    }

    /// <summary>The pooled differences within each recorded group of users (a designed data set's kinds, whose design
    /// predicts an ablation's effect for one kind: <see cref="DifferenceTable.RenderByGroup"/> gives them per seed). A group
    /// written for one domain (<see cref="PreparedDataset.GroupInDomain"/>) counts in that domain only.</summary>
    static string PooledByGroup(IReadOnlyList<Seed> seeds, string fullModel, IReadOnlyList<string> compared, IReadOnlyList<string> domains,
        IReadOnlyList<string> groups)
    {
        var table = new MarkdownTable(["compared with", "domain", "users' group", .. DifferenceTable.Metrics.Select(m => $"pooled {fullModel} − it, {m} [95 % CI]"), "users"]);
        int rows = 0;
        for (int d = 0; d < domains.Count; d++)
        {
            var (groupIn, kinds) = DifferenceTable.GroupsIn(groups, domains[d]);
            foreach (var model in compared)
            {
                var pairs = seeds.Select(s => (Full: s.Ranks[fullModel], Other: s.Ranks[model])).ToList();
                foreach (var kind in kinds)
                {
                    var cells = new List<string> { model, domains[d], kind };
                    int users = 0;
                    foreach (var metric in DifferenceTable.Metrics)
                    {
                        var pooled = Pooled(pairs, d, metric, user => groupIn[user] == kind);
                        users = pooled?.Users ?? 0;
                        cells.Add(pooled is { } p ? DifferenceTable.Format(p) : "– (the seeds' test users differ)");
                    }
                    cells.Add(users.ToString("N0", CultureInfo.InvariantCulture));
                    table.AddRow(cells);
                    rows++;
                }
            }
        }
        return rows == 0 ? "" : $"### The pooled differences per recorded group of users\n\nAs above, within each group.\n\n{table}\n";
    }

    /// <summary>
    /// The difference of two models pooled over training seeds: each user's metric is averaged over the seeds for either
    /// model, and the paired bootstrap runs over those per-user means. It asks whether the models the seeds train differ
    /// on average, which a seed's single interval cannot say when one training run's luck is of the size of the effect;
    /// the interval reflects the test users' sample, not the choice of these seeds (the per-seed spread shows that).
    /// Null when the seeds' pairs do not cover the same users of the domain.
    /// </summary>
    /// <param name="include">keeps only the users it accepts (default: every user)</param>
    public static PairedDifference? Pooled(IReadOnlyList<(TargetRanks Full, TargetRanks Other)> seeds, int domain, string metric,
        Func<int, bool>? include = null)
    {
        var users = seeds[0].Full.SharedUsers(seeds[0].Other, domain, include);
        if (seeds.Skip(1).Any(s => !s.Full.SharedUsers(s.Other, domain, include).SequenceEqual(users))) return null;
        var mine = new double[users.Length];
        var theirs = new double[users.Length];
        foreach (var (full, other) in seeds)
        {
            var (a, b) = (full.Values(users, domain, metric), other.Values(users, domain, metric));
            for (int i = 0; i < users.Length; i++) { mine[i] += a[i] / seeds.Count; theirs[i] += b[i] / seeds.Count; }
        }
        return PairedBootstrap.Interval(mine, theirs);
    }

    /// <summary>Sample standard deviation (0 for a single value).</summary>
    public static double Std(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
