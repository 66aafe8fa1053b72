using GenCdr.Evaluation;

namespace GenCdr.Tests.Evaluation;

public class RankingMetricsTests
{
    [Fact]
    public void HitAtTheTopScoresOne()
    {
        Assert.Equal(1.0, RankingMetrics.RecallAtK([7, 1, 2], 7, 5));
        Assert.Equal(1.0, RankingMetrics.NdcgAtK([7, 1, 2], 7, 5));
    }

    [Fact]
    public void NdcgFollowsTheLogDiscountOfTheZeroBasedRank()
    {
        int[] ranked = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
        Assert.Equal(1 / Math.Log2(3), RankingMetrics.NdcgAtK(ranked, 8, 5), 12);   // rank 1
        Assert.Equal(0.5, RankingMetrics.NdcgAtK(ranked, 7, 5), 12);               // rank 2: 1/log2(4)
        Assert.Equal(1 / Math.Log2(6), RankingMetrics.NdcgAtK(ranked, 5, 5), 12);   // rank 4, the last of the top 5
        Assert.Equal(1.0, RankingMetrics.RecallAtK(ranked, 5, 5));
    }

    [Fact]
    public void RanksBeyondKCountAsMisses()
    {
        int[] ranked = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
        Assert.Equal(0.0, RankingMetrics.RecallAtK(ranked, 2, 5));                  // rank 7
        Assert.Equal(0.0, RankingMetrics.NdcgAtK(ranked, 2, 5));
        Assert.Equal(1.0, RankingMetrics.RecallAtK(ranked, 2, 10));
        Assert.Equal(1 / Math.Log2(9), RankingMetrics.NdcgAtK(ranked, 2, 10), 12);
        Assert.Equal(-1, RankingMetrics.RankOf(ranked, 42, 10));
    }

    [Fact]
    public void ShortListsAreFine()
    {
        Assert.Equal(0.0, RankingMetrics.RecallAtK([], 3, 10));
        Assert.Equal(0.0, RankingMetrics.NdcgAtK([1, 2], 3, 10));
        Assert.Equal(1 / Math.Log2(3), RankingMetrics.NdcgAtK([1, 3], 3, 10), 12);
    }

    [Fact]
    public void TiesThroughTopKGoToTheLowerIndex()
    {
        float[] scores = [1f, 3f, 3f, 2f, 3f];
        Assert.Equal([1, 2, 4], TopK.Select(scores, 3));
        Assert.Equal([1, 2, 4, 3, 0], TopK.Select(scores, 10));
        // The held-out item 4 ties with 1 and 2 but ranks third: NDCG 1/log2(4), not 1.
        Assert.Equal(0.5, RankingMetrics.NdcgAtK(TopK.Select(scores, 5), 4, 5), 12);
        Assert.Equal(0.0, RankingMetrics.RecallAtK(TopK.Select(scores, 2), 4, 2));
    }

    [Fact]
    public void TopKPutsNaNLastAndHonoursExclusions()
    {
        float[] scores = [float.NaN, 0.5f, float.NegativeInfinity, 0.7f];
        Assert.Equal([3, 1, 2, 0], TopK.Select(scores, 4));
        Assert.Equal([1, 2], TopK.Select(scores, 2, [false, false, false, true]));
        Assert.Empty(TopK.Select(scores, 0));
    }

    [Fact]
    public void TopKMatchesAFullSortOnRandomScores()
    {
        var rng = new Random(3);
        for (int trial = 0; trial < 50; trial++)
        {
            int n = rng.Next(1, 300), k = rng.Next(0, 40);
            // Few distinct values, so that ties are common.
            var scores = Enumerable.Range(0, n).Select(_ => (float)rng.Next(0, 8)).ToArray();
            var expected = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k).ToArray();
            Assert.Equal(expected, TopK.Select(scores, k));
        }
    }
}
