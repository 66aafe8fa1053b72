using GenCdr.Data;
using static GenCdr.Tests.Data.Fixtures;

namespace GenCdr.Tests.Data;

public class PreparedDatasetStoreTests
{
    static PreparedDataset Sample()
    {
        var tricky = new Item("i\\1", "Books", new ItemText("Tab\there\nnewline \\n literal", "Brand | Co",
            ["Fiction | Classics", " spaced ", "back\\slash", "x"], "Desc\r\nline two"));
        var raw = new RawDataset("store-test",
        [
            new DomainData("Books", [tricky, Titled("i2", "Books", "Plain")],
                [new("u1", "i\\1", 1), new("u1", "i2", 2), new("u1", "i\\1", 3), new("u2", "i2", 4)]),
            new DomainData("Movies", [], [new("u2", "m1", 2), new("u3", "m2", 9)]),
        ]);
        return DatasetPreparer.Prepare(raw);
    }

    static void AssertSameData(PreparedDataset a, PreparedDataset b)
    {
        Assert.Equal(a.Name, b.Name);
        Assert.Equal(a.DomainNames, b.DomainNames);
        Assert.Equal(a.UserIds, b.UserIds);
        Assert.Equal(a.Histories.Count, b.Histories.Count);
        for (int u = 0; u < a.Histories.Count; u++) Assert.Equal(a.Histories[u], b.Histories[u]);
        Assert.Equal(a.Validation, b.Validation);
        Assert.Equal(a.Test, b.Test);
        for (int d = 0; d < a.DomainCount; d++)
        {
            Assert.Equal(a.Items[d].Count, b.Items[d].Count);
            for (int i = 0; i < a.Items[d].Count; i++)
            {
                Item x = a.Items[d][i], y = b.Items[d][i];
                Assert.Equal((x.Id, x.Domain, x.Text.Title, x.Text.Brand, x.Text.Description), (y.Id, y.Domain, y.Text.Title, y.Text.Brand, y.Text.Description));
                Assert.Equal(x.Text.Categories, y.Text.Categories);
            }
        }
    }

    [Fact]
    public void RoundTripKeepsEverythingIncludingTrickyText()
    {
        using var tmp = new TempFolder();
        var data = Sample();
        var options = new PreparationOptions { KCore = 0, MaxUsers = 100 };
        PreparedDatasetStore.Save(data, tmp.Path, options);
        var back = PreparedDatasetStore.Load(tmp.Path);
        AssertSameData(data, back);
        Assert.Equal(["Tab\there\nnewline \\n literal"], back.Items[0].Where(i => i.Id == "i\\1").Select(i => i.Text.Title));
        var manifest = PreparedDatasetStore.ReadManifest(tmp.Path);
        Assert.Equal(PreparedDatasetStore.FormatVersion, manifest.FormatVersion);
        Assert.Equal(options, manifest.Preparation);
        Assert.Equal([new StoredDomain("Books", 2, 4), new StoredDomain("Movies", 2, 2)], manifest.Domains);
        Assert.Empty(Directory.GetFiles(tmp.Path, "*.tmp"));
        // Every line of items.tsv is one record (text escaped).
        Assert.Equal(1 + 4, File.ReadAllLines(Path.Combine(tmp.Path, "items.tsv")).Length);
    }

    [Fact]
    public void WrongVersionIsReported()
    {
        using var tmp = new TempFolder();
        PreparedDatasetStore.Save(Sample(), tmp.Path);
        string manifest = Path.Combine(tmp.Path, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"formatVersion\": 1", "\"formatVersion\": 99"));
        var e = Assert.Throws<GenCdrException>(() => PreparedDatasetStore.Load(tmp.Path));
        Assert.Contains("manifest.json", e.Message);
        Assert.Contains("99", e.Message);
    }

    [Theory]
    [InlineData("events.tsv", 3, "0\t0\tx\t2")]
    [InlineData("events.tsv", 2, "0\t0\t99\t1")]
    [InlineData("items.tsv", 3, "Books\t7\ti2\tPlain\t\t\t")]
    [InlineData("items.tsv", 2, "Books\t0\tbad\\qescape\t\t\t\t")]
    [InlineData("users.tsv", 2, "5\tu1")]
    public void BrokenLineNamesFileAndLine(string file, int line, string replacement)
    {
        using var tmp = new TempFolder();
        PreparedDatasetStore.Save(Sample(), tmp.Path);
        string path = Path.Combine(tmp.Path, file);
        var lines = File.ReadAllLines(path);
        lines[line - 1] = replacement;
        File.WriteAllLines(path, lines);
        var e = Assert.Throws<GenCdrException>(() => PreparedDatasetStore.Load(tmp.Path));
        Assert.Contains($"{file}:{line}:", e.Message);
    }

    [Fact]
    public void MissingEventsAreCaughtByTheManifestCounts()
    {
        using var tmp = new TempFolder();
        PreparedDatasetStore.Save(Sample(), tmp.Path);
        string path = Path.Combine(tmp.Path, "events.tsv");
        File.WriteAllLines(path, File.ReadAllLines(path)[..^1]);
        var e = Assert.Throws<GenCdrException>(() => PreparedDatasetStore.Load(tmp.Path));
        Assert.Contains("events.tsv:", e.Message);
        Assert.Contains("manifest", e.Message);
    }

    [Fact]
    public void FailedSaveOrLoadLeavesAGoodFolderIntact()
    {
        using var tmp = new TempFolder();
        var good = Sample();
        PreparedDatasetStore.Save(good, tmp.Path);
        var before = Directory.GetFiles(tmp.Path).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

        // A data set whose item text is broken (null category list) throws part-way through writing items.tsv.
        var broken = new PreparedDataset("broken", ["Books"], [[new Item("x", "Books", new ItemText("t", "", null!, ""))]],
            ["u"], [[new Event(0, 0, 1)]]);
        Assert.ThrowsAny<Exception>(() => PreparedDatasetStore.Save(broken, tmp.Path));
        // A failed load (another folder, wrong version) touches nothing either.
        Assert.Throws<GenCdrException>(() => PreparedDatasetStore.Load(Path.Combine(tmp.Path, "nope")));

        var after = Directory.GetFiles(tmp.Path).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        Assert.Equal(before.Keys.Order(), after.Keys.Order()); // no temp files left behind
        foreach (var (name, bytes) in before) Assert.Equal(bytes, after[name]);
        AssertSameData(good, PreparedDatasetStore.Load(tmp.Path));
    }

    [Fact]
    public void CategoryEscapingRoundTrips()
    {
        string[][] cases = [[], ["a"], ["a | b", "c|d"], ["", "x"], [" lead", "trail "], ["back\\", "\\|"]];
        foreach (var c in cases)
        {
            if (c.Length == 1 && c[0] == "") continue; // a single empty category is indistinguishable from none
            Assert.Equal(c, TsvEscaping.UnescapeCategories(TsvEscaping.EscapeCategories(c)));
        }
    }
}
