using GenCdr.Tokenization;

namespace GenCdr.Tests.Tokenization;

public class SemanticIdAssignerTests
{
    [Fact]
    public void ItemsSharingATupleGetConsecutiveValuesInIndexOrder_UniqueOnesGetZero()
    {
        int[][] codes = [[1, 2, 3], [4, 5, 6], [1, 2, 3], [7, 7, 7], [1, 2, 3], [4, 5, 6]];
        var result = SemanticIdAssigner.Disambiguate("Sports", codes, 16);
        Assert.Equal([1, 2, 3, 0], result.Codes[0]);
        Assert.Equal([4, 5, 6, 0], result.Codes[1]);
        Assert.Equal([1, 2, 3, 1], result.Codes[2]);
        Assert.Equal([7, 7, 7, 0], result.Codes[3]);
        Assert.Equal([1, 2, 3, 2], result.Codes[4]);
        Assert.Equal([4, 5, 6, 1], result.Codes[5]);
        Assert.Equal(5 / 6.0, result.CollisionRate, 12);
        Assert.Equal(3, result.LargestGroup);
        Assert.Equal(0, SemanticIdAssigner.CollisionRate(result.Codes));
    }

    [Fact]
    public void MoreThanKItemsOnOneTupleIsAClearError()
    {
        var codes = Enumerable.Range(0, 5).Select(_ => new[] { 0, 1 }).ToArray();
        var e = Assert.Throws<GenCdrException>(() => SemanticIdAssigner.Disambiguate("Books", codes, 4));
        Assert.Contains("Books", e.Message);
        Assert.Contains("larger codebook", e.Message);
        Assert.Equal(4, SemanticIdAssigner.Disambiguate("Books", codes[..4], 4).LargestGroup);
    }
}

public class SemanticIdTableTests
{
    private static SemanticIdTable Sample() => new([
        new DomainSemanticIds("Sports", ["A1", "A2", "A3"], [[1, 2, 3, 0], [1, 2, 3, 1], [9, 0, 255, 0]]),
        new DomainSemanticIds("Clothing", ["B1", "B2"], [[1, 2, 3, 0], [4, 4, 4, 0]]),
    ]);

    [Fact]
    public void LooksUpBothWays_DomainsMayShareTuples()
    {
        var table = Sample();
        Assert.Equal(4, table.CodeLength);
        Assert.True(table.TryGetItem("Sports", [1, 2, 3, 1], out int item));
        Assert.Equal(1, item);
        Assert.True(table.TryGetItem("Clothing", [1, 2, 3, 0], out item));
        Assert.Equal(0, item);
        Assert.False(table.TryGetItem("Clothing", [1, 2, 3, 1], out _));
        Assert.False(table.TryGetItem("Sports", [1, 2, 3], out _));
        Assert.Equal("A3", table.ItemId("Sports", 2));
        Assert.Equal([9, 0, 255, 0], table.Codes("Sports", 2));
    }

    [Fact]
    public void SaveThenLoadRoundTripsExactly()
    {
        var table = Sample();
        string path = Path.Combine(Path.GetTempPath(), $"sids-{Guid.NewGuid():N}.tsv");
        try
        {
            table.Save(path);
            var lines = File.ReadAllLines(path);
            Assert.Equal("domain\titem_index\titem_id\tc1\tc2\tc3\tdisambiguation", lines[0]);
            Assert.Equal("Sports\t2\tA3\t9\t0\t255\t0", lines[3]);
            var loaded = SemanticIdTable.Load(path);
            Assert.Equal(table.Domains, loaded.Domains);
            Assert.Equal(table.CodeLength, loaded.CodeLength);
            foreach (var domain in table.Domains)
            {
                Assert.Equal(table.ItemCount(domain), loaded.ItemCount(domain));
                for (int i = 0; i < table.ItemCount(domain); i++)
                {
                    Assert.Equal(table.Codes(domain, i), loaded.Codes(domain, i));
                    Assert.Equal(table.ItemId(domain, i), loaded.ItemId(domain, i));
                }
            }
            loaded.Save(path + ".again");
            Assert.Equal(File.ReadAllText(path), File.ReadAllText(path + ".again"));
            Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $".{Path.GetFileName(path)}*.tmp"));
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".again");
        }
    }

    [Fact]
    public void DuplicateCodesInADomainAreRejected()
    {
        var e = Assert.Throws<GenCdrException>(() => new SemanticIdTable([
            new DomainSemanticIds("Sports", ["A1", "A2"], [[1, 2, 0], [1, 2, 0]])]));
        Assert.Contains("A1", e.Message);
        Assert.Contains("A2", e.Message);
    }

    [Fact]
    public void LoadReportsFileAndLineOfABadRow()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sids-{Guid.NewGuid():N}.tsv");
        try
        {
            File.WriteAllText(path, "domain\titem_index\titem_id\tc1\tc2\tdisambiguation\nSports\t0\tA1\t1\t2\t0\nSports\t1\tA2\t1\tx\t0\n");
            var e = Assert.Throws<GenCdrException>(() => SemanticIdTable.Load(path));
            Assert.StartsWith($"{path}:3:", e.Message);
            File.WriteAllText(path, "domain\titem_index\titem_id\tc1\tc2\tdisambiguation\nSports\t1\tA1\t1\t2\t0\n");
            Assert.StartsWith($"{path}:2:", Assert.Throws<GenCdrException>(() => SemanticIdTable.Load(path)).Message);
        }
        finally { File.Delete(path); }
    }
}
