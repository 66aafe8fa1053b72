namespace GenCdr.Tokenization;

/// <summary>Bookkeeping of how the codes of each level are used during training: counts since the last reset
/// (for the per-epoch usage fraction and perplexity) and the step at which each code was last chosen (for
/// dead-code re-seeding). Plain managed arrays, not tensors, so nothing of it ends up in the saved weights.</summary>
public sealed class CodebookUsage
{
    private readonly long[][] counts;
    private readonly long[][] lastUsedStep;

    public CodebookUsage(int levels, int codebookSize)
    {
        Levels = levels;
        CodebookSize = codebookSize;
        counts = Enumerable.Range(0, levels).Select(_ => new long[codebookSize]).ToArray();
        lastUsedStep = Enumerable.Range(0, levels).Select(_ => new long[codebookSize]).ToArray();
    }

    public int Levels { get; }
    public int CodebookSize { get; }

    /// <summary>Number of <see cref="Record"/> calls so far (training steps).</summary>
    public long Step { get; private set; }

    /// <summary>Records the codes [B × M], row-major (item-major), chosen at one training step.</summary>
    public void Record(ReadOnlySpan<long> codes)
    {
        Step++;
        for (int i = 0; i < codes.Length; i++)
        {
            int level = i % Levels;
            long code = codes[i];
            counts[level][code]++;
            lastUsedStep[level][code] = Step;
        }
    }

    public void ResetCounts()
    {
        foreach (var c in counts) Array.Clear(c);
    }

    /// <summary>Codes of <paramref name="level"/> not chosen in the last <paramref name="unusedSteps"/> steps.</summary>
    public int[] DeadCodes(int level, int unusedSteps) =>
        Enumerable.Range(0, CodebookSize).Where(k => Step - lastUsedStep[level][k] >= unusedSteps).ToArray();

    /// <summary>Marks re-seeded codes as fresh so they get a full grace period before being judged again.</summary>
    public void MarkFresh(int level, IEnumerable<int> codes)
    {
        foreach (int k in codes) lastUsedStep[level][k] = Step;
    }

    /// <summary>Fraction of the K codes of a level chosen at least once since the last reset.</summary>
    public double UsedFraction(int level) => counts[level].Count(c => c > 0) / (double)CodebookSize;

    /// <summary>exp(entropy) of the code distribution of a level: K when all codes are equally used, 1 when one
    /// code takes everything.</summary>
    public double Perplexity(int level) => Perplexity(counts[level]);

    public static double Perplexity(IReadOnlyList<long> counts)
    {
        double total = counts.Sum();
        if (total == 0) return 0;
        double entropy = 0;
        foreach (long c in counts)
            if (c > 0) { double p = c / total; entropy -= p * Math.Log(p); }
        return Math.Exp(entropy);
    }

    public LevelUsage[] Snapshot() =>
        Enumerable.Range(0, Levels).Select(l => new LevelUsage(l + 1, UsedFraction(l), Perplexity(l))).ToArray();
}

/// <summary>Usage of one codebook level (1-based): fraction of its codes used and the perplexity of their use.</summary>
public sealed record LevelUsage(int Level, double UsedFraction, double Perplexity);

/// <summary>Usage statistics of finished code tuples.</summary>
public static class CodeStatistics
{
    /// <summary>Per-level usage fraction and perplexity of code tuples (their first <paramref name="levels"/> entries).</summary>
    public static LevelUsage[] Usage(IReadOnlyList<int[]> codes, int levels, int codebookSize)
    {
        var usage = new CodebookUsage(levels, codebookSize);
        var flat = new long[levels];
        foreach (var tuple in codes)
        {
            for (int m = 0; m < levels; m++) flat[m] = tuple[m];
            usage.Record(flat);
        }
        return usage.Snapshot();
    }
}
