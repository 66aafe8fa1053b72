using GenCdr.Evaluation;

namespace GenCdr.Tests.Evaluation;

public class PairedBootstrapTests
{
    [Fact]
    public void The_interval_of_a_mean_difference_matches_the_normal_closed_form()
    {
        // 4,000 users; model A hits on 30 %, B on 25 %, independently drawn: d_i ∈ {−1, 0, 1}.
        var rng = new Random(3);
        var a = Enumerable.Range(0, 4000).Select(_ => rng.NextDouble() < 0.30 ? 1.0 : 0.0).ToArray();
        var b = Enumerable.Range(0, 4000).Select(_ => rng.NextDouble() < 0.25 ? 1.0 : 0.0).ToArray();
        var d = a.Zip(b, (x, y) => x - y).ToArray();
        double mean = d.Average();
        double se = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1) / d.Length);

        var interval = PairedBootstrap.Interval(a, b);

        Assert.Equal(mean, interval.Difference, 12);
        // the percentile interval of a mean of 4,000 values is the normal one, mean ± 1.96·se, to a few percent of its width
        Assert.Equal(mean - 1.96 * se, interval.Low, 0.1 * 1.96 * se);
        Assert.Equal(mean + 1.96 * se, interval.High, 0.1 * 1.96 * se);
        Assert.False(interval.WithinNoise);
        Assert.Equal(4000, interval.Users);
    }

    [Fact]
    public void Equal_models_are_within_noise_and_a_constant_shift_has_a_zero_width_interval()
    {
        var rng = new Random(5);
        var a = Enumerable.Range(0, 500).Select(_ => rng.NextDouble() < 0.1 ? 1.0 : 0.0).ToArray();
        var same = PairedBootstrap.Interval(a, a.Reverse().ToArray());
        Assert.True(same.WithinNoise);

        var shifted = PairedBootstrap.Interval(a.Select(x => x + 0.5).ToArray(), a);
        Assert.Equal(0.5, shifted.Low, 12);
        Assert.Equal(0.5, shifted.High, 12);
        Assert.Throws<ArgumentException>(() => PairedBootstrap.Interval([1.0], [1.0, 2.0]));
    }

    [Fact]
    public void Ranks_round_trip_and_pair_only_the_users_both_models_have()
    {
        var mine = new TargetRanks(new() { [(1, 0)] = 0, [(2, 0)] = 12, [(3, 0)] = 4, [(3, 1)] = -1 });
        var theirs = new TargetRanks(new() { [(1, 0)] = 3, [(3, 0)] = -1, [(4, 0)] = 0 });
        string path = Path.Combine(Path.GetTempPath(), $"ranks-{Guid.NewGuid():N}.tsv");
        try
        {
            mine.Save(path);
            var loaded = TargetRanks.TryLoad(path)!;
            var (x, y) = loaded.Paired(theirs, 0, "Recall@10");
            Assert.Equal([1.0, 1.0], x);            // users 1 and 3: ranks 0 and 4
            Assert.Equal([1.0, 0.0], y);            // ranks 3 and absent
            var (n, _) = loaded.Paired(theirs, 0, "NDCG@5");
            Assert.Equal([1.0, 1 / Math.Log2(6)], n);
            Assert.Null(TargetRanks.TryLoad(path + ".missing"));
            File.WriteAllText(path, "user\tdomain\trank\n1\tx\t2\n");
            var e = Assert.Throws<GenCdrException>(() => TargetRanks.TryLoad(path));
            Assert.Contains(":2", e.Message);
        }
        finally { File.Delete(path); }
    }
}
