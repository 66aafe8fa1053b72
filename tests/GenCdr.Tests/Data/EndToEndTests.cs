using GenCdr.Data;

namespace GenCdr.Tests.Data;

/// <summary>Raw Amazon 2014 files (gzip, Python-literal meta) through a JSON spec, 3-core, statistics and the store.</summary>
public class EndToEndTests
{
    [Fact]
    public void Amazon2014FilesToStoredDataset()
    {
        using var tmp = new TempFolder();
        // A 3x3 block of users x items (survives 3-core) plus a user and an item with one review each (removed).
        var reviews = new List<string>();
        long t = 1_300_000_000;
        foreach (var u in new[] { "UA", "UB", "UC" })
            foreach (var i in new[] { "I1", "I2", "I3" })
                reviews.Add($$"""{"reviewerID": "{{u}}", "asin": "{{i}}", "unixReviewTime": {{t += 86400}}}""");
        reviews.Add("""{"reviewerID": "UZ", "asin": "I9", "unixReviewTime": 1}""");
        tmp.Write("amazon/reviews_Toys_5.json.gz", reviews.ToArray());
        tmp.Write("amazon/meta_Toys.json.gz",
            """{'asin': 'I1', 'title': 'Blocks &amp; Bricks', 'categories': [['Toys & Games', 'Building']]}""",
            """{'asin': 'I2', 'title': "Kid's Kite", 'brand': 'Sky', 'description': 'Flies "high"'}""",
            """{'asin': 'I7', 'title': 'Not reviewed'}""");
        string spec = tmp.Write("toys.json",
            """{ "name": "toys", "domains": [ { "name": "Toys", "format": "Amazon2014", "interactionsPath": "amazon/reviews_Toys_5.json.gz", "itemTextPath": "amazon/meta_Toys.json.gz" } ] }""");

        var raw = DataCatalog.Builtin.Load(spec, tmp.Path);
        var prepared = DatasetPreparer.Prepare(raw, new PreparationOptions { KCore = 3 });
        var stats = DatasetStatistics.Compute(prepared);
        var toys = Assert.Single(stats.Domains);
        Assert.Equal((3, 3, 9, 1), (toys.Users, toys.Items, toys.Interactions, toys.ItemsWithoutText));
        Assert.Equal("Blocks & Bricks", prepared.Items[0][0].Text.Title);
        Assert.Equal(["Toys & Games", "Building"], prepared.Items[0][0].Text.Categories);
        Assert.Equal(("Kid's Kite", "Sky", "Flies \"high\""), (prepared.Items[0][1].Text.Title, prepared.Items[0][1].Text.Brand, prepared.Items[0][1].Text.Description));
        Assert.Equal(3, prepared.Test.Count);

        string store = Path.Combine(tmp.Path, "prepared");
        PreparedDatasetStore.Save(prepared, store, new PreparationOptions { KCore = 3 });
        var back = PreparedDatasetStore.Load(store);
        Assert.Equal(prepared.Test, back.Test);
        Assert.Equal(prepared.Items[0].Select(i => i.Text.Title), back.Items[0].Select(i => i.Text.Title));
        Assert.Equal(3, PreparedDatasetStore.ReadManifest(store).Preparation!.KCore);
    }
}
