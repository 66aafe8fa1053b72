using GenCdr.Data;
using static GenCdr.Tests.Data.Fixtures;

namespace GenCdr.Tests.Data;

public class DatasetPreparerTests
{
    [Fact]
    public void UsersAreMergedAcrossDomainsAndIndicesAreDenseAndSortedByRawId()
    {
        var raw = new RawDataset("t",
        [
            Domain("A", [Titled("a2", "A", "two"), Titled("a1", "A", "one")], ("u2", "a2", 5), ("u1", "a1", 1)),
            Domain("B", [Titled("b1", "B", "bee")], ("u1", "b1", 3), ("u3", "b1", 9)),
        ]);
        var p = DatasetPreparer.Prepare(raw);
        Assert.Equal(["u1", "u2", "u3"], p.UserIds);
        Assert.Equal(["a1", "a2"], p.Items[0].Select(i => i.Id));
        Assert.Equal("one", p.Items[0][0].Text.Title);
        Assert.Equal([new Event(0, 0, 1), new Event(1, 0, 3)], p.Histories[0]); // u1: A then B, by time
        Assert.Equal([new Event(0, 1, 5)], p.Histories[1]);
        Assert.Equal([new Event(1, 0, 9)], p.Histories[2]);
    }

    [Fact]
    public void EqualTimestampsKeepSourceOrderThenDomainOrder()
    {
        // Same timestamp everywhere: the order must be the file's line order within a domain,
        // and domain order across domains — never the raw-id order of the items.
        var items = new[] { Titled("z", "A", "z"), Titled("m", "A", "m"), Titled("a", "A", "a") };
        var raw = new RawDataset("t",
        [
            Domain("A", items, ("u", "z", 7), ("u", "m", 7), ("u", "a", 7)),
            Domain("B", [Titled("q", "B", "q")], ("u", "q", 7), ("u", "q", 6)),
        ]);
        var p = DatasetPreparer.Prepare(raw);
        // Items of A sorted by id: a=0, m=1, z=2.
        Assert.Equal([new Event(1, 0, 6), new Event(0, 2, 7), new Event(0, 1, 7), new Event(0, 0, 7), new Event(1, 0, 7)], p.Histories[0]);
    }

    [Fact]
    public void KCoreIteratesUntilStable()
    {
        // 2-core: i3 has one interaction -> removed; then u3 has one left -> removed; then i2 has one left -> removed,
        // which leaves u2 with one -> removed. Only the u1/u4 x i1/i4 block survives.
        var rows = new (string, string, long)[]
        {
            ("u1", "i1", 1), ("u1", "i4", 2), ("u4", "i1", 3), ("u4", "i4", 4),
            ("u2", "i1", 5), ("u2", "i2", 6), ("u3", "i2", 7), ("u3", "i3", 8),
        };
        var raw = new RawDataset("t", [Domain("A", [], rows)]);
        var p = DatasetPreparer.Prepare(raw, new PreparationOptions { KCore = 2 });
        Assert.Equal(["u1", "u4"], p.UserIds);
        Assert.Equal(["i1", "i4"], p.Items[0].Select(i => i.Id));
        Assert.Equal(4, p.Histories.Sum(h => h.Length));
        // Without k-core everything stays, and items without a text row get empty text.
        var all = DatasetPreparer.Prepare(raw);
        Assert.Equal(4, all.UserCount);
        Assert.All(all.Items[0], i => Assert.True(i.Text.IsEmpty));
    }

    [Fact]
    public void KCoreFilterKeepsOriginalOrder()
    {
        var rows = new List<Interaction> { new("u", "b", 3), new("v", "a", 1), new("u", "a", 2), new("v", "b", 0), new("w", "c", 5) };
        Assert.Equal([rows[0], rows[1], rows[2], rows[3]], KCoreFilter.Apply(rows, 2));
    }

    [Fact]
    public void ExactDuplicatesAreDroppedByDefaultAndKeptOnRequest()
    {
        var raw = new RawDataset("t", [Domain("A", [], ("u", "i", 1), ("u", "i", 1), ("u", "i", 2))]);
        Assert.Equal(2, DatasetPreparer.Prepare(raw).Histories[0].Length);
        Assert.Equal(3, DatasetPreparer.Prepare(raw, new PreparationOptions { DropExactDuplicates = false }).Histories[0].Length);
    }

    [Fact]
    public void ItemsWithoutTextAreKeptUnlessConfigured()
    {
        var raw = new RawDataset("t", [Domain("A", [Titled("i1", "A", "has text"), new Item("i2", "A", ItemText.Empty)],
            ("u", "i1", 1), ("u", "i2", 2), ("v", "i3", 3))]);
        var kept = DatasetPreparer.Prepare(raw);
        Assert.Equal(3, kept.Items[0].Count);
        Assert.Equal(2, DatasetStatistics.Compute(kept).Domains[0].ItemsWithoutText);
        var dropped = DatasetPreparer.Prepare(raw, new PreparationOptions { DropItemsWithoutText = true });
        Assert.Equal(["i1"], dropped.Items[0].Select(i => i.Id));
        Assert.Equal(["u"], dropped.UserIds);
    }

    [Fact]
    public void MaxUsersSamplesDeterministicallyBySeed()
    {
        var rows = Enumerable.Range(0, 50).Select(u => ($"u{u:D2}", $"i{u % 7}", (long)u)).ToArray();
        var raw = new RawDataset("t", [Domain("A", [], rows)]);
        var a = DatasetPreparer.Prepare(raw, new PreparationOptions { MaxUsers = 10, Seed = 1 });
        var b = DatasetPreparer.Prepare(raw, new PreparationOptions { MaxUsers = 10, Seed = 1 });
        var c = DatasetPreparer.Prepare(raw, new PreparationOptions { MaxUsers = 10, Seed = 2 });
        Assert.Equal(10, a.UserCount);
        Assert.Equal(a.UserIds, b.UserIds);
        Assert.NotEqual(a.UserIds, c.UserIds);
        Assert.Equal(a.UserIds.Order(StringComparer.Ordinal), a.UserIds);
        // Only items that still have events remain.
        Assert.Equal(a.Histories.SelectMany(h => h).Select(e => e.Item).Distinct().Count(), a.Items[0].Count);
    }

    [Fact]
    public void LeaveLastOutSplitPerDomainSkipsUsersWithFewerThanThreeEvents()
    {
        // u1: 4 events in A, 2 in B. u2: exactly 3 in A.
        var raw = new RawDataset("t",
        [
            Domain("A", [], ("u1", "a1", 1), ("u1", "a2", 2), ("u1", "a3", 4), ("u1", "a4", 6), ("u2", "a1", 1), ("u2", "a2", 2), ("u2", "a3", 3)),
            Domain("B", [], ("u1", "b1", 3), ("u1", "b2", 5)),
        ]);
        var p = DatasetPreparer.Prepare(raw);
        // u1 merged history: a1(1) a2(2) b1(3) a3(4) b2(5) a4(6)
        Assert.Equal([new HeldOut(0, 0, 5), new HeldOut(1, 0, 2)], p.Test);
        Assert.Equal([new HeldOut(0, 0, 3), new HeldOut(1, 0, 1)], p.Validation);
        Assert.DoesNotContain(p.Test, h => h.Domain == 1); // only 2 B events: never evaluated in B
        Assert.Equal(4, p.TrainingHistory(0).Length); // b1, b2 stay training data
        Assert.Equal(5, p.HistoryBefore(p.Test[0]).Count); // everything before a4, both domains
        Assert.Equal(3, p.TargetItem(p.Test[0])); // a4
    }
}
