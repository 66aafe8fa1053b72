using static TorchSharp.torch;

namespace GenCdr.Benchmark;

/// <summary>Points projected onto their first principal components. <see cref="Indices"/> are the rows of the
/// input that were kept (all of them, or a fixed random subsample in input order).</summary>
public sealed record Projection(double[][] Points, double[] ExplainedVarianceRatio, int[] Indices);

/// <summary>
/// Principal component analysis with TorchSharp: centre the rows, take the reduced SVD X = U S Vᵀ
/// (torch.linalg.svd), and project onto the first rows of Vᵀ. Used for the paper's Fig. 3 (the paper uses
/// t-SNE; PCA is deterministic, cheap and keeps distances between cluster centres meaningful).
/// </summary>
public static class PrincipalComponents
{
    /// <summary>Projects the rows of <paramref name="rows"/> onto <paramref name="components"/> principal axes.
    /// If there are more than <paramref name="maxRows"/> rows, a fixed random subsample (seeded) is used.
    /// Each axis's sign is fixed so that its largest-magnitude loading is positive: the same data always
    /// gives the same picture.</summary>
    public static Projection Project(float[][] rows, int components = 2, int maxRows = 3000, int seed = 0)
    {
        if (components < 1) throw new ArgumentOutOfRangeException(nameof(components), "at least one component");
        int[] keep = Subsample(rows.Length, maxRows, seed);
        int n = keep.Length, dims = n == 0 ? 0 : rows[keep[0]].Length;
        var points = new double[n][];
        for (int i = 0; i < n; i++) points[i] = new double[components];
        var explained = new double[components];
        if (n == 0 || dims == 0) return new Projection(points, explained, keep);

        var flat = new double[n * dims];
        for (int i = 0; i < n; i++)
        {
            var row = rows[keep[i]];
            if (row.Length != dims) throw new ArgumentException($"row {keep[i]} has {row.Length} values, expected {dims}");
            for (int j = 0; j < dims; j++) flat[i * dims + j] = row[j];
        }

        using var scope = NewDisposeScope();
        var x = tensor(flat, [n, dims], ScalarType.Float64);
        var centred = x - x.mean([0], keepdim: true);
        var (_, s, vh) = linalg.svd(centred, fullMatrices: false);
        int k = (int)Math.Min(components, vh.shape[0]);
        var axes = vh[..k];                                              // k × dims
        var largest = axes.abs().argmax(1, keepdim: true);
        var signs = axes.gather(1, largest).sign();                      // k × 1
        signs = where(signs == 0, ones_like(signs), signs);
        axes = axes * signs;
        var projected = centred.matmul(axes.T).contiguous().data<double>().ToArray();  // n × k
        for (int i = 0; i < n; i++)
            for (int c = 0; c < k; c++) points[i][c] = projected[i * k + c];

        var variance = (s * s).data<double>().ToArray();
        double total = variance.Sum();
        for (int c = 0; c < k; c++) explained[c] = total > 0 ? variance[c] / total : 0;
        return new Projection(points, explained, keep);
    }

    /// <summary>All indices 0..count-1, or a seeded random subset of max of them, in ascending order.</summary>
    public static int[] Subsample(int count, int max, int seed)
    {
        if (max < 1) throw new ArgumentOutOfRangeException(nameof(max), "at least one row");
        var all = Enumerable.Range(0, count).ToArray();
        if (count <= max) return all;
        new Random(seed).Shuffle(all);
        return all.Take(max).Order().ToArray();
    }
}
