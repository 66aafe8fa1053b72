using GenCdr.Data;

namespace GenCdr.Tests.Data;

public class ReaderTests
{
    [Fact]
    public void Amazon2014ReviewsAreReadFromGzip()
    {
        using var tmp = new TempFolder();
        string path = tmp.Write("reviews_Sports_and_Outdoors_5.json.gz",
            """{"reviewerID": "A1", "asin": "B001", "reviewerName": "x", "helpful": [0, 0], "reviewText": "ok", "overall": 5.0, "unixReviewTime": 1390694400, "reviewTime": "01 26, 2014"}""",
            "",
            """{"reviewerID": "A2", "asin": "B002", "unixReviewTime": 1390780800}""");
        var rows = AmazonReviewReader.Read(path).ToList();
        Assert.Equal([new Interaction("A1", "B001", 1390694400), new Interaction("A2", "B002", 1390780800)], rows);
    }

    [Fact]
    public void Amazon2014MetaTakesTitleBrandFlattenedCategoriesAndDescription()
    {
        using var tmp = new TempFolder();
        string path = tmp.Write("meta_Sports_and_Outdoors.json.gz",
            """{'asin': 'B001', 'title': "Men's Running Shoe &amp; Sock", 'brand': 'Acme', 'categories': [['Sports & Outdoors', 'Running'], ['Sports & Outdoors', 'Shoes']], 'description': 'Light\nand fast', 'salesRank': {'Sports & Outdoors': 12}, 'related': {'also_bought': ['B002']}, 'price': 19.99}""",
            """{'asin': 'B002', 'imUrl': 'http://x/y.jpg', 'categories': [[]]}""");
        var items = AmazonMetaReader.Read(path, AmazonRelease.Amazon2014).ToList();
        Assert.Equal(2, items.Count);
        var (id, text) = items[0];
        Assert.Equal("B001", id);
        Assert.Equal("Men's Running Shoe & Sock", text.Title);
        Assert.Equal("Acme", text.Brand);
        Assert.Equal(["Sports & Outdoors", "Running", "Shoes"], text.Categories);
        Assert.Equal("Light and fast", text.Description);
        Assert.True(items[1].Text.IsEmpty);
    }

    [Fact]
    public void Amazon2018ReviewsAndMetaAreStrictJson()
    {
        using var tmp = new TempFolder();
        string reviews = tmp.Write("Sports_and_Outdoors_5.json",
            """{"overall": 5.0, "verified": true, "reviewTime": "06 3, 2015", "reviewerID": "U9", "asin": "I7", "unixReviewTime": 1433289600}""");
        string meta = tmp.Write("meta_Sports_and_Outdoors.json",
            """{"category": ["Sports &amp; Outdoors", "Fitness", "Fitness"], "description": ["Strong", "and light"], "title": "Kettlebell &quot;Pro&quot;", "brand": "Iron", "asin": "I7"}""",
            """{"category": [], "description": "One string", "title": "", "asin": "I8"}""");
        Assert.Equal([new Interaction("U9", "I7", 1433289600)], AmazonReviewReader.Read(reviews).ToList());
        var items = AmazonMetaReader.Read(meta, AmazonRelease.Amazon2018).ToDictionary(x => x.ItemId, x => x.Text);
        Assert.Equal("Kettlebell \"Pro\"", items["I7"].Title);
        Assert.Equal(["Sports & Outdoors", "Fitness"], items["I7"].Categories);
        Assert.Equal("Strong and light", items["I7"].Description);
        Assert.Equal("Iron", items["I7"].Brand);
        Assert.Equal("One string", items["I8"].Description);
    }

    [Fact]
    public void TsvInteractionsWithOrWithoutHeaderAndWithADomainColumn()
    {
        using var tmp = new TempFolder();
        string plain = tmp.Write("plain.tsv", "u1\ti1\t10", "u2\ti2\t20");
        string headed = tmp.Write("headed.tsv", "user\titem\ttime\tdomain", "u1\ti1\t10\tBooks", "u1\ti9\t11\tMovies", "u2\ti2\t20\tbooks");
        Assert.Equal(2, DelimitedInteractionReader.Read(plain).Count());
        var books = DelimitedInteractionReader.Read(headed, keepDomain: "Books").ToList();
        Assert.Equal([new Interaction("u1", "i1", 10), new Interaction("u2", "i2", 20)], books);
        Assert.Equal(3, DelimitedInteractionReader.Read(headed).Count());
    }

    [Fact]
    public void CsvFieldsMayBeQuoted()
    {
        using var tmp = new TempFolder();
        string inter = tmp.Write("inter.csv", "user,item,timestamp", "\"u,1\",i1,5");
        string text = tmp.Write("items.csv", "item,title,brand,categories,description",
            "i1,\"Bag, \"\"large\"\"\",Acme,Bags | Travel|Bags,\"Holds &lt;everything&gt;\"");
        Assert.Equal([new Interaction("u,1", "i1", 5)], DelimitedInteractionReader.Read(inter).ToList());
        var (id, t) = Assert.Single(ItemTextTableReader.Read(text));
        Assert.Equal("i1", id);
        Assert.Equal("Bag, \"large\"", t.Title);
        Assert.Equal(["Bags", "Travel"], t.Categories);
        Assert.Equal("Holds <everything>", t.Description);
    }

    [Fact]
    public void SharedJoinedFilesAndIdGenRecPhrasesThroughTheLoader()
    {
        using var tmp = new TempFolder();
        tmp.Write("clothing/derived/joined_interactions.tsv", "reviewerID\tasin\tunixReviewTime", "A1\tX1\t100", "A1\tX2\t100", "A2\tX3\t50");
        tmp.Write("clothing/derived/joined_items.tsv", "asin\ttitle", "X1\tSuunto Compass &amp; Barometer", "X2\tUnder Armour HeatGear&reg; Short", "X9\tnot interacted");
        tmp.Write("sports/phrases.txt", "S1 jump rope olympic style", "S2 mudguard rear bicycle fender");
        tmp.Write("sports/inter.tsv", "reviewerID\tasin\tunixReviewTime", "A1\tS1\t90", "A3\tS2\t95");
        var raw = DataLoader.Load(
        [
            new DomainSpec { Name = "Clothing", InteractionsPath = "clothing/derived/joined_interactions.tsv",
                ItemTextPath = "clothing/derived/joined_items.tsv", Format = DataFormat.SharedJoinedTsv },
            new DomainSpec { Name = "Sports", InteractionsPath = "sports/inter.tsv", ItemTextPath = "sports/phrases.txt",
                Format = DataFormat.SharedJoinedTsv, ItemTextFormat = DataFormat.IdGenRecPhrases },
        ], tmp.Path);
        Assert.Equal("clothing-sports", raw.Name);
        var clothing = raw.Domains[0];
        Assert.Equal(["X1", "X2", "X3"], clothing.Items.Select(i => i.Id)); // X9 has no interaction
        Assert.Equal("Suunto Compass & Barometer", clothing.Items[0].Text.Title);
        Assert.Equal("Under Armour HeatGear® Short", clothing.Items[1].Text.Title);
        Assert.Same(ItemText.Empty, clothing.Items[2].Text); // in interactions, no text row: usable, empty text
        Assert.Equal("jump rope olympic style", raw.Domains[1].Items[0].Text.Title);
        Assert.Equal(3, clothing.Interactions.Count);
    }

    [Fact]
    public void SharedJoinedFormatRejectsAFileWithTheWrongHeader()
    {
        using var tmp = new TempFolder();
        tmp.Write("inter.tsv", "A1\tX1\t100");
        var e = Assert.Throws<GenCdrException>(() => DataLoader.Load(
            [new DomainSpec { Name = "C", InteractionsPath = "inter.tsv", Format = DataFormat.SharedJoinedTsv }], tmp.Path));
        Assert.Contains("inter.tsv:1:", e.Message);
        Assert.Contains("header", e.Message);
    }
}
