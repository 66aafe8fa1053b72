namespace GenCdr.Data.Synthetic;

/// <summary>The few random draws the generator needs, on a seeded <see cref="Random"/>.</summary>
internal static class RandomSampling
{
    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Gaussian(this Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(); // in (0, 1]: log is finite
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>An exponential draw with the given mean.</summary>
    public static double Exponential(this Random rng, double mean) => -mean * Math.Log(1.0 - rng.NextDouble());

    /// <summary>Draws an index with probability softmax(logits); entries of -∞ are never drawn.</summary>
    public static int SampleSoftmax(this Random rng, ReadOnlySpan<double> logits)
    {
        double max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        if (double.IsNegativeInfinity(max)) throw new InvalidOperationException("nothing to sample from");
        double total = 0;
        foreach (var l in logits) total += Math.Exp(l - max);
        double r = rng.NextDouble() * total;
        int last = -1;
        for (int i = 0; i < logits.Length; i++)
        {
            if (double.IsNegativeInfinity(logits[i])) continue;
            last = i;
            r -= Math.Exp(logits[i] - max);
            if (r < 0) return i;
        }
        return last; // rounding left a sliver: the last drawable entry
    }

    public static void Shuffle<T>(this Random rng, IList<T> list)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
