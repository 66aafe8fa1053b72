using GenCdr.Benchmark;

namespace GenCdr.Tests.Benchmark;

public class PrincipalComponentsTests
{
    /// <summary>Two clusters 10 apart along a diagonal direction in 6-D, each with unit-ish noise.</summary>
    static (float[][] Rows, int[] Cluster) TwoClusters(int perCluster, int seed)
    {
        var rng = new Random(seed);
        var rows = new List<float[]>();
        var cluster = new List<int>();
        for (int c = 0; c < 2; c++)
            for (int i = 0; i < perCluster; i++)
            {
                rows.Add(Enumerable.Range(0, 6).Select(j => (float)((c == 0 ? -1 : 1) * (j < 3 ? 5 : -2) / 2.0 + rng.NextDouble() - 0.5)).ToArray());
                cluster.Add(c);
            }
        return (rows.ToArray(), cluster.ToArray());
    }

    [Fact]
    public void FirstAxisSeparatesTwoClusters()
    {
        var (rows, cluster) = TwoClusters(100, 1);
        var p = PrincipalComponents.Project(rows);
        var first = p.Indices.Select((item, row) => (Cluster: cluster[item], X: p.Points[row][0])).ToList();
        double maxA = first.Where(x => x.Cluster == 0).Max(x => x.X), minA = first.Where(x => x.Cluster == 0).Min(x => x.X);
        double maxB = first.Where(x => x.Cluster == 1).Max(x => x.X), minB = first.Where(x => x.Cluster == 1).Min(x => x.X);
        Assert.True(maxA < minB || maxB < minA, "the clusters overlap on the first axis");
        Assert.True(p.ExplainedVarianceRatio[0] > 0.9, $"first axis explains only {p.ExplainedVarianceRatio[0]:P1}");
        Assert.True(p.ExplainedVarianceRatio[0] >= p.ExplainedVarianceRatio[1]);
        Assert.Equal(0.0, p.Points.Average(x => x[0]), 6); // centred
    }

    [Fact]
    public void SubsampleIsFixedBoundedAndSorted()
    {
        var (rows, _) = TwoClusters(200, 2);
        var a = PrincipalComponents.Project(rows, maxRows: 50, seed: 7);
        var b = PrincipalComponents.Project(rows, maxRows: 50, seed: 7);
        Assert.Equal(50, a.Indices.Length);
        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(a.Indices.Order(), a.Indices);
        Assert.Equal(a.Points.Select(x => x[0]), b.Points.Select(x => x[0]));
        Assert.NotEqual(a.Indices, PrincipalComponents.Project(rows, maxRows: 50, seed: 8).Indices);
        Assert.Equal(400, PrincipalComponents.Project(rows).Indices.Length);
    }

    [Fact]
    public void MatchesAKnownProjection()
    {
        // Points on the line y = 2x: one axis carries all the variance, along (1, 2)/√5, sign positive.
        float[][] rows = [[-2, -4], [-1, -2], [0, 0], [1, 2], [2, 4]];
        var p = PrincipalComponents.Project(rows);
        double norm = Math.Sqrt(5);
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal((rows[i][0] + 2 * rows[i][1]) / norm, p.Points[i][0], 5);
            Assert.Equal(0, p.Points[i][1], 5);
        }
        Assert.Equal(1.0, p.ExplainedVarianceRatio[0], 6);
    }
}
