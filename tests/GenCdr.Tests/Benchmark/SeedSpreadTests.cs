using GenCdr.Benchmark;
using GenCdr.Data;
using GenCdr.Evaluation;

namespace GenCdr.Tests.Benchmark;

public sealed class SeedSpreadTests : IDisposable
{
    readonly string _root = Path.Combine(Path.GetTempPath(), "gencdr-seeds-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Each_seed_retrains_on_the_same_data_and_the_spread_file_gives_means_spreads_and_seed_counts()
    {
        var suite = BenchRunnerFixture.TinySuite();
        var options = new BenchOptions { Out = _root, Only = ["Popularity", "SASRec", BenchModels.Full] };
        var (outcomes, path) = SeedSpread.Run(suite, BenchModels.For, options, seeds: 2);

        Assert.Equal(2, outcomes.Count);
        Assert.Equal(SeedSpread.Folder(_root, 1), outcomes[1].Folder);
        // seed 1 shifted every training seed, not the data: the same test users in both
        var shifted = SeedSpread.WithTrainingSeedOffset(suite, 1);
        Assert.Equal(suite.GenCdr.Recommender.Seed + 1, shifted.GenCdr.Recommender.Seed);
        Assert.Equal(suite.SasRec.Seed + 1, shifted.SasRec.Seed);
        Assert.Equal(suite.GenCdr.Data, shifted.GenCdr.Data);
        Assert.Equal(suite.GenCdr.Evaluation, shifted.GenCdr.Evaluation);
        var seeds = outcomes.Select(SeedSpread.Seed.Of).ToList();
        Assert.Equal(seeds[0].Results["SASRec"].Domains.Select(d => d.UsersEvaluated), seeds[1].Results["SASRec"].Domains.Select(d => d.UsersEvaluated));
        // popularity has no training randomness; SASRec, trained from another seed, ranks differently
        Assert.Equal(seeds[0].Results["Popularity"].Metric("apparel", "NDCG@10"), seeds[1].Results["Popularity"].Metric("apparel", "NDCG@10"));
        Assert.NotEqual(seeds[0].Results["SASRec"].Metric("apparel", "NDCG@10"), seeds[1].Results["SASRec"].Metric("apparel", "NDCG@10"));

        string text = File.ReadAllText(path);
        Assert.Equal(SeedSpread.Render(seeds, BenchModels.Full), text);
        Assert.Contains("# Spread over 2 training seeds", text);
        Assert.Contains("| Popularity | apparel |", text);
        Assert.Contains($"## {BenchModels.Full} − each model", text);
        Assert.Contains("| SASRec | outdoor |", text);
        Assert.Contains("of 2:", text);
    }

    [Fact]
    public void A_difference_is_consistent_only_when_every_seeds_interval_excludes_zero_on_one_side()
    {
        // 200 users in one domain: the full model finds every target at rank 0; "worse" misses all in seed 0 and half in
        // seed 1 (a sure difference both times); "level" equals the full model in seed 0 and misses one user in seed 1
        TargetRanks Ranks(Func<int, int> rank) => new(Enumerable.Range(0, 200).ToDictionary(u => (u, 0), rank));
        SeedSpread.Seed Seed(TargetRanks worse, TargetRanks level)
        {
            var ranks = new Dictionary<string, TargetRanks> { ["full"] = Ranks(_ => 0), ["worse"] = worse, ["level"] = level };
            var results = ranks.ToDictionary(kv => kv.Key, kv => Result(kv.Key, kv.Value));
            return new SeedSpread.Seed(results, ranks);
        }
        var seeds = new[] { Seed(Ranks(_ => 50), Ranks(_ => 0)), Seed(Ranks(u => u % 2 == 0 ? 0 : 50), Ranks(u => u == 7 ? 50 : 0)) };
        string text = SeedSpread.Render(seeds, "full");
        Assert.Contains("| worse | d | +0.7500 ± 0.3536; excludes 0 in 2+ / 0− of 2: consistent + | +0.7500 [", text);
        Assert.Contains("| level | d | +0.0025 ± 0.0035; excludes 0 in 0+ / 0− of 2: within noise | +0.0025 [", text);
        Assert.Equal(1.0, SeedSpread.Std([1.0, 2.0, 3.0]), 12);
        Assert.Equal(0.0, SeedSpread.Std([4.0]));
    }

    [Fact]
    public void The_pooled_difference_averages_each_users_metric_over_the_seeds_before_the_paired_bootstrap()
    {
        TargetRanks Ranks(Func<int, int> rank, int users = 40) => new(Enumerable.Range(0, users).ToDictionary(u => (u, 0), rank));
        var full = Ranks(u => u < 20 ? 0 : -1);
        // one seed: the pooled interval is that seed's own paired interval
        var other = Ranks(u => u < 10 ? 0 : -1);
        Assert.Equal(PairedBootstrap.Interval(full.Paired(other, 0, "Recall@10").Mine, full.Paired(other, 0, "Recall@10").Theirs),
            SeedSpread.Pooled([(full, other)], 0, "Recall@10"));
        // two seeds whose differences are +10 and 0 of 40 users, on disjoint users: per user 0.5 for users 10–19, 0 elsewhere;
        // the mean is 0.125 and every resample of 40 users lies in [0, 0.5]
        var pooled = SeedSpread.Pooled([(full, other), (full, full)], 0, "Recall@10")!.Value;
        Assert.Equal(0.125, pooled.Difference, 12);
        Assert.Equal(40, pooled.Users);
        Assert.InRange(pooled.Low, 0.0, 0.125);
        Assert.False(pooled.WithinNoise); // ten users ahead in one seed and none behind in either: an interval above 0
        // within a recorded group: users 0–19 "a", 20–39 "b"; the +10 of seed 0 are all in group a
        var seeds = new[] { (full, other), (full, full) }.Select(p => new SeedSpread.Seed(
            new Dictionary<string, EvaluationResult> { ["full"] = Result("full", p.Item1), ["other"] = Result("other", p.Item2) },
            new Dictionary<string, TargetRanks> { ["full"] = p.Item1, ["other"] = p.Item2 })
        { UserGroups = Enumerable.Range(0, 40).Select(u => u < 20 ? "a" : "b").ToList() }).ToList();
        string text = SeedSpread.Render(seeds, "full");
        Assert.Contains("| other | d | a | +0.2500 [", text);
        Assert.Contains("| other | d | b | 0.0000 [0.0000, 0.0000] within noise |", text);
        Assert.DoesNotContain("users' group", SeedSpread.Render(seeds.Select(x => x with { UserGroups = null }).ToList(), "full"));
        // a seed evaluated on other users cannot be pooled
        Assert.Null(SeedSpread.Pooled([(full, other), (Ranks(_ => 0, users: 39), Ranks(_ => 0, users: 39))], 0, "Recall@10"));
    }

    /// <summary>An evaluation of one domain "d" whose Recall@10 and NDCG@10 are those of the ranks.</summary>
    static EvaluationResult Result(string model, TargetRanks ranks)
    {
        var (recall, _) = ranks.Paired(ranks, 0, "Recall@10");
        var (ndcg, _) = ranks.Paired(ranks, 0, "NDCG@10");
        var metrics = new Dictionary<string, double> { ["Recall@10"] = recall.Average(), ["NDCG@10"] = ndcg.Average() };
        return new EvaluationResult(model, Split.Test, [new DomainEvaluation("d", recall.Length, recall.Length, metrics)], 0, 0);
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
