using GenCdr.Data;

namespace GenCdr.Tests.Data;

public class DataCatalogTests
{
    [Fact]
    public void NamedDataSetsResolveToTheSharedFolderLayout()
    {
        var set = DataCatalog.Builtin.Resolve("sports-clothing");
        Assert.Equal(["Sports", "Clothing"], set.Domains.Select(d => d.Name));
        Assert.Equal("amazon2014-sports/derived/joined_interactions.tsv", set.Domains[0].InteractionsPath);
        Assert.Equal("amazon2014-sports/item_generative_indexing_phase_0.txt", set.Domains[0].ItemTextPath);
        Assert.Equal(DataFormat.IdGenRecPhrases, set.Domains[0].ItemTextFormat);
        Assert.Equal("amazon2014-clothing/derived/joined_items.tsv", set.Domains[1].ItemTextPath);
        Assert.Equal(["Clothing", "Beauty"], DataCatalog.Builtin.Resolve("CLOTHING-BEAUTY").Domains.Select(d => d.Name));
        Assert.Equal(["Beauty"], DataCatalog.Builtin.Resolve("amazon2014-beauty").Domains.Select(d => d.Name));
        var adHoc = DataCatalog.Builtin.Resolve("sports+beauty");
        Assert.Equal("sports-beauty", adHoc.Name);
        Assert.Equal(["Sports", "Beauty"], adHoc.Domains.Select(d => d.Name));
    }

    [Fact]
    public void ASpecFileAddsADataSetWithoutCode()
    {
        using var tmp = new TempFolder();
        tmp.Write("books/inter.csv", "user,item,timestamp,domain", "u1,b1,1,Books", "u1,m1,2,Movies", "u2,b2,3,Books");
        tmp.Write("books/items.tsv", "item\ttitle\tbrand", "b1\tDune\tAce");
        string specPath = tmp.Write("my-books.json",
            """
            // a list of domains; the data set takes the file's name
            [
              { "name": "Books", "interactionsPath": "books/inter.csv", "itemTextPath": "books/items.tsv", "format": "Tsv" },
              { "name": "Films", "interactionsPath": "books/inter.csv", "format": "Tsv", "sourceDomain": "Movies" },
            ]
            """);
        var raw = DataCatalog.Builtin.Load(specPath, tmp.Path);
        Assert.Equal("my-books", raw.Name);
        Assert.Equal(["b1", "b2"], raw.Domains[0].Items.Select(i => i.Id));
        Assert.Equal("Dune", raw.Domains[0].Items[0].Text.Title);
        Assert.True(raw.Domains[0].Items[1].Text.IsEmpty);
        Assert.Equal([new Interaction("u1", "m1", 2)], raw.Domains[1].Interactions);
    }

    [Fact]
    public void SpecFilesRoundTripAndTheObjectFormIsAccepted()
    {
        using var tmp = new TempFolder();
        var set = DataCatalog.Builtin.Resolve("clothing-beauty");
        string path = tmp.File("cb.json");
        DataCatalog.SaveSpecFile(set, path);
        var back = DataCatalog.LoadSpecFile(path);
        Assert.Equal(set.Name, back.Name);
        Assert.Equal(set.Domains, back.Domains); // DomainSpec is a record: value equality
    }

    [Fact]
    public void ABrokenSpecFileNamesFileAndLine()
    {
        using var tmp = new TempFolder();
        string path = tmp.Write("bad.json", "[", "  { \"name\": \"A\", \"format\": \"NoSuchFormat\", \"interactionsPath\": \"x\" }", "]");
        var e = Assert.Throws<GenCdrException>(() => DataCatalog.LoadSpecFile(path));
        Assert.Contains("bad.json:2:", e.Message);
        string missing = tmp.Write("missing.json", "[ { \"name\": \"A\" } ]");
        Assert.Contains("missing.json:", Assert.Throws<GenCdrException>(() => DataCatalog.LoadSpecFile(missing)).Message);
    }
}
