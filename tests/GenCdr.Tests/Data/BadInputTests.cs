using GenCdr.Data;

namespace GenCdr.Tests.Data;

/// <summary>Every bad input gives one GenCdrException naming the file (and the line where there is one).</summary>
public class BadInputTests
{
    static string[] ManyReviewLines(int n) => Enumerable.Range(0, n)
        .Select(i => $$"""{"reviewerID": "U{{i % 97}}", "asin": "I{{i}}", "unixReviewTime": {{1_400_000_000 + i}}, "reviewText": "{{Guid.NewGuid()}}"}""")
        .ToArray();

    [Fact]
    public void TruncatedGzipNamesFileAndLineReached()
    {
        using var tmp = new TempFolder();
        string path = tmp.Write("reviews_Beauty_5.json.gz", ManyReviewLines(5000));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<GenCdrException>(() => AmazonReviewReader.Read(path).ToList());
        Assert.Contains("reviews_Beauty_5.json.gz:", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Matches(@"\.gz:\d+:", e.Message);
    }

    [Fact]
    public void GzipMissingOnlyItsTrailerIsStillDetected()
    {
        using var tmp = new TempFolder();
        string path = tmp.Write("reviews_Beauty_5.json.gz", ManyReviewLines(50));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        var e = Assert.Throws<GenCdrException>(() => AmazonReviewReader.Read(path).ToList());
        Assert.Contains("reviews_Beauty_5.json.gz", e.Message);
    }

    [Fact]
    public void NonGzipDataInAGzFileIsReported()
    {
        using var tmp = new TempFolder();
        string path = tmp.File("meta_Beauty.json.gz");
        File.WriteAllText(path, "{'asin': 'x'}\n");
        var e = Assert.Throws<GenCdrException>(() => AmazonMetaReader.Read(path, AmazonRelease.Amazon2014).ToList());
        Assert.Contains("meta_Beauty.json.gz:1:", e.Message);
    }

    [Fact]
    public void MalformedMetaLineNamesFileLineAndColumn()
    {
        using var tmp = new TempFolder();
        string path = tmp.Write("meta_Clothing.json.gz",
            "{'asin': 'A1', 'title': 'fine'}",
            "{'asin': 'A2', 'title': 'broken}");
        var e = Assert.Throws<GenCdrException>(() => AmazonMetaReader.Read(path, AmazonRelease.Amazon2014).ToList());
        Assert.Contains("meta_Clothing.json.gz:2:", e.Message);
        Assert.Contains("column", e.Message);
    }

    [Fact]
    public void MetaLineWithoutAsinIsReported()
    {
        using var tmp = new TempFolder();
        string path = tmp.Write("meta.json", """{"title": "x"}""");
        var e = Assert.Throws<GenCdrException>(() => AmazonMetaReader.Read(path, AmazonRelease.Amazon2018).ToList());
        Assert.Contains("meta.json:1:", e.Message);
        Assert.Contains("asin", e.Message);
    }

    [Fact]
    public void MalformedReviewLineAndBadTimestampAreReported()
    {
        using var tmp = new TempFolder();
        string json = tmp.Write("reviews.json", """{"reviewerID": "U", "asin": "I", "unixReviewTime": 1}""", "{not json");
        string tsv = tmp.Write("inter.tsv", "u\ti\t1", "u\ti\tyesterday");
        Assert.Contains("reviews.json:2:", Assert.Throws<GenCdrException>(() => AmazonReviewReader.Read(json).ToList()).Message);
        var e = Assert.Throws<GenCdrException>(() => DelimitedInteractionReader.Read(tsv).ToList());
        Assert.Contains("inter.tsv:2:", e.Message);
        Assert.Contains("yesterday", e.Message);
    }

    [Theory]
    [InlineData("empty.tsv")]
    [InlineData("empty.json.gz")]
    public void EmptyFileIsReported(string name)
    {
        using var tmp = new TempFolder();
        string path = tmp.Write(name);
        var e = Assert.Throws<GenCdrException>(() => LineSource.Read(path).ToList());
        Assert.Contains(name, e.Message);
        Assert.Contains("file is empty", e.Message);
    }

    [Fact]
    public void MissingFileIsReported()
    {
        using var tmp = new TempFolder();
        var e = Assert.Throws<GenCdrException>(() => DataLoader.Load(
            [new DomainSpec { Name = "X", InteractionsPath = "nope.tsv" }], tmp.Path));
        Assert.Contains("nope.tsv", e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void UnknownDataSetAndDomainNamesListTheKnownOnes()
    {
        var set = Assert.Throws<GenCdrException>(() => DataCatalog.Builtin.Resolve("sports-movies"));
        Assert.Contains("sports-movies", set.Message);
        Assert.Contains("sports-clothing", set.Message);
        Assert.Contains("clothing-beauty", set.Message);
        var domain = Assert.Throws<GenCdrException>(() => DataCatalog.Builtin.Resolve("Sports+Movies"));
        Assert.Contains("'Movies'", domain.Message);
        Assert.Contains("Beauty, Clothing, Sports", domain.Message);
        var prepared = new PreparedDataset("x", ["Sports"], [[new Item("i", "Sports", ItemText.Empty)]], ["u"], [[new Event(0, 0, 1)]]);
        Assert.Contains("Sports", Assert.Throws<GenCdrException>(() => prepared.DomainIndex("Books")).Message);
    }
}
