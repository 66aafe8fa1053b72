using GenCdr.Data;
using static GenCdr.Tests.Data.Fixtures;

namespace GenCdr.Tests.Data;

public class DatasetStatisticsTests
{
    [Fact]
    public void TableOneColumnsOverlapAndSequenceLengths()
    {
        var raw = new RawDataset("s",
        [
            Domain("A", [Titled("a1", "A", "t")], ("u1", "a1", 1), ("u1", "a2", 2), ("u1", "a3", 3), ("u2", "a1", 1)),
            Domain("B", [], ("u1", "b1", 4), ("u3", "b1", 5)),
        ]);
        var stats = DatasetStatistics.Compute(DatasetPreparer.Prepare(raw));
        var a = stats.Domains[0];
        Assert.Equal(("A", 2, 3, 4), (a.Name, a.Users, a.Items, a.Interactions));
        Assert.Equal(1 - 4.0 / (2 * 3), a.Sparsity, 12);
        Assert.Equal(2, a.ItemsWithoutText); // a2, a3 had no text row
        Assert.Equal(2.0, a.AverageSequenceLength);
        Assert.Equal(1, a.EvaluatedUsers); // only u1 has 3 events in A
        var b = stats.Domains[1];
        Assert.Equal((2, 1, 2, 0.0), (b.Users, b.Items, b.Interactions, b.Sparsity));
        Assert.Equal(3, stats.Users);
        Assert.Equal(1, stats.OverlapUsers); // u1
        Assert.Equal(6, stats.Interactions);
        Assert.Equal(2.0, stats.AverageSequenceLength);

        var rows = stats.ToRows();
        Assert.Equal(DatasetStatistics.Header, rows[0]);
        Assert.Equal(["A", "2", "3", "4", "33.3333%", "2", "2.00", "1"], rows[1]);
        Assert.Equal("All", rows[^1][0]);
        Assert.Equal(DatasetStatistics.Header.Count, stats.ToTable().Columns.Count);
        Assert.Contains("1 in two or more domains", stats.Summary());
    }
}
