namespace GenCdr.Evaluation;

/// <summary>A difference of two models' mean metric over the same users, with its 95 % interval.</summary>
public readonly record struct PairedDifference(double Difference, double Low, double High, int Users)
{
    /// <summary>True when the interval covers 0: the difference is not a claim ("within noise").</summary>
    public bool WithinNoise => Low <= 0 && High >= 0;
}

/// <summary>
/// The paired bootstrap of a difference of means: the users are resampled with replacement (the same draw for both
/// models, since each user's two values belong together) and the 2.5 % and 97.5 % quantiles of the resampled mean
/// differences form the 95 % interval (Efron &amp; Tibshirani's percentile interval). Deterministic for a seed.
/// </summary>
public static class PairedBootstrap
{
    public const int DefaultResamples = 2000;

    public static PairedDifference Interval(IReadOnlyList<double> a, IReadOnlyList<double> b, int resamples = DefaultResamples, int seed = 17)
    {
        if (a.Count != b.Count) throw new ArgumentException($"paired values need equal counts ({a.Count} vs {b.Count})");
        if (resamples < 1) throw new ArgumentOutOfRangeException(nameof(resamples));
        int n = a.Count;
        if (n == 0) return new PairedDifference(0, 0, 0, 0);
        var d = new double[n];
        for (int i = 0; i < n; i++) d[i] = a[i] - b[i];
        double mean = d.Average();
        var rng = new Random(seed);
        var means = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += d[rng.Next(n)];
            means[r] = sum / n;
        }
        Array.Sort(means);
        return new PairedDifference(mean, Quantile(means, 0.025), Quantile(means, 0.975), n);
    }

    /// <summary>Linear interpolation between order statistics (type 7, as numpy's default).</summary>
    static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
