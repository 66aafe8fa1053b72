using GenCdr.Tokenization;

namespace GenCdr.Tests.Tokenization;

public class CodebookUsageTests
{
    [Fact]
    public void PerplexityIsKForUniformUseAndOneForASingleCode()
    {
        Assert.Equal(4, CodebookUsage.Perplexity([5, 5, 5, 5]), 9);
        Assert.Equal(1, CodebookUsage.Perplexity([0, 9, 0, 0]), 9);
        var usage = CodeStatistics.Usage([[0, 1], [1, 1], [2, 1], [3, 1]], levels: 2, codebookSize: 8);
        Assert.Equal(0.5, usage[0].UsedFraction);
        Assert.Equal(4, usage[0].Perplexity, 9);
        Assert.Equal(1 / 8.0, usage[1].UsedFraction);
    }

    [Fact]
    public void CodesUnusedForTheThresholdAreDeadUntilReseeded()
    {
        var usage = new CodebookUsage(levels: 1, codebookSize: 4);
        for (int step = 0; step < 5; step++) usage.Record([0L, 1L]);
        Assert.Equal([2, 3], usage.DeadCodes(0, unusedSteps: 5));
        Assert.Empty(usage.DeadCodes(0, unusedSteps: 6));
        usage.MarkFresh(0, [2]);
        Assert.Equal([3], usage.DeadCodes(0, unusedSteps: 5));
        usage.ResetCounts();
        Assert.Equal(0, usage.UsedFraction(0));
    }
}
