using GenCdr.Evaluation;
using GenCdr.Serving;

namespace GenCdr.Tests.Serving;

/// <summary>New items without retraining (ModelBundle.AddItem, SemanticIds.AddItem, POST /v1/items).</summary>
[Collection(TrainedModelCollection.Name)]
public sealed class NewItemTests(TrainedModelFixture fixture)
{
    static NewItem CopyOf(ModelBundle bundle, int domain, int index, string id)
    {
        var text = bundle.Catalog.Item(domain, index).Text;
        return new NewItem { Id = id, Domain = bundle.Catalog.DomainNames[domain], Title = text.Title, Brand = text.Brand, Categories = text.Categories.ToList() };
    }

    /// <summary>With a beam as wide as the domain, the constrained search returns every item the trie holds: the new
    /// item is among them only if its SID reached the trie and the recommender's item space grew.</summary>
    [Fact]
    public void A_new_item_is_generated_by_the_constrained_search_at_once()
    {
        using var bundle = ModelBundle.Load(fixture.BundleDirectory);
        var catalog = bundle.Catalog;
        int before = catalog.ItemCount(1);
        var query = new RecommendationQuery(0, catalog.Histories[0], 1);
        var all = bundle.Recommender.Decode([query], before + 1).PerUser[0];
        Assert.Equal(before, all.Count);

        var added = bundle.AddItem(CopyOf(bundle, 1, 5, "NEW-1"));
        Assert.Equal(before, added.Item.Index);
        Assert.Equal(bundle.Sids.Codes(1, 5)[..^1], added.Sid[..^1]); // same text → same codes; the disambiguation code differs
        Assert.NotEqual(bundle.Sids.Codes(1, 5)[^1], added.Sid[^1]);

        var after = bundle.Recommender.Decode([query], before + 1).PerUser[0];
        Assert.Equal(before + 1, after.Count);
        var generated = Assert.Single(after, r => r.Item == added.Item.Index);
        Assert.Equal(added.Sid, generated.Codes);
    }

    [Fact]
    public void A_new_item_can_be_part_of_a_history()
    {
        using var bundle = ModelBundle.Load(fixture.BundleDirectory);
        var added = bundle.AddItem(CopyOf(bundle, 0, 3, "NEW-IN-HISTORY"));
        var (events, warnings) = HistoryResolver.Resolve(bundle.Catalog, [new HistoryEntry("NEW-IN-HISTORY", "outdoor")]);
        Assert.Empty(warnings);
        Assert.Equal(added.Item.Index, Assert.Single(events).Item);
        Assert.Equal(5, bundle.Recommender.Decode([new RecommendationQuery(0, events, 1)], 5).PerUser[0].Count);
    }

    [Fact]
    public void Added_items_are_saved_into_the_bundle_and_survive_a_reload()
    {
        string copy = fixture.CopyBundle();
        int[] sid;
        using (var bundle = ModelBundle.Load(copy))
        {
            sid = bundle.AddItem(CopyOf(bundle, 0, 7, "SAVED-1") with { Description = "tab\tand\nnewline" }).Sid;
            bundle.Save();
        }
        using var reloaded = ModelBundle.Load(copy); // checksums were updated, or this throws
        Assert.True(reloaded.Catalog.TryFindItem("SAVED-1", 0, out var item));
        Assert.Equal("tab\tand\nnewline", item.Item.Text.Description);
        Assert.Equal(sid, reloaded.Sids.Codes(0, item.Index));
        Assert.Equal(1, reloaded.Manifest.Domains[0].AddedItems);
        Assert.Equal(reloaded.Catalog.TrainedItemCounts[0], item.Index);
    }

    [Fact]
    public void Bad_new_items_are_refused_with_a_clear_message()
    {
        using var bundle = ModelBundle.Load(fixture.BundleDirectory);
        var existing = bundle.Catalog.Item(0, 0).Id;
        Assert.Contains("unknown domain", Assert.Throws<GenCdrException>(() => bundle.AddItem(new NewItem { Id = "X", Domain = "garden", Title = "t" })).Message);
        Assert.Contains("already has", Assert.Throws<GenCdrException>(() => bundle.AddItem(new NewItem { Id = existing, Domain = "outdoor", Title = "t" })).Message);
        Assert.Contains("title", Assert.Throws<GenCdrException>(() => bundle.AddItem(new NewItem { Id = "X", Domain = "outdoor" })).Message);
        Assert.Contains("id", Assert.Throws<GenCdrException>(() => bundle.AddItem(new NewItem { Domain = "outdoor", Title = "t" })).Message);
    }

    [Fact]
    public void SemanticIds_AddItem_refuses_sids_the_model_cannot_generate()
    {
        using var bundle = ModelBundle.Load(fixture.BundleDirectory);
        var sids = bundle.Sids;
        int levels = sids.Vocabulary.Levels;
        int count = sids.ItemCount(0);
        Assert.Throws<GenCdrException>(() => sids.AddItem(0, "X", new int[levels - 1]));
        var tooLarge = new int[levels];
        tooLarge[0] = sids.Vocabulary.CodesPerLevel;
        Assert.Contains("outside the model's vocabulary", Assert.Throws<GenCdrException>(() => sids.AddItem(0, "X", tooLarge)).Message);
        Assert.Contains("already belongs", Assert.Throws<GenCdrException>(() => sids.AddItem(0, "X", sids.Codes(0, 0))).Message);
        // nothing was added by the refused calls, to the trie or to the table
        Assert.Equal(count, sids.ItemCount(0));
        Assert.Equal(count, sids.Tries[0].Count);
        Assert.Equal(count, sids.Table.ItemCount(bundle.Catalog.DomainNames[0]));
    }

    /// <summary>Many copies of one item's text all get its codes: each copy takes the next free disambiguation code, only
    /// among those the model was trained with, and once they are used up the next copy is refused with nothing changed.</summary>
    [Fact]
    public void New_items_only_get_disambiguation_codes_the_model_was_trained_with_and_a_refused_one_changes_nothing()
    {
        using var bundle = ModelBundle.Load(fixture.BundleDirectory);
        var catalog = bundle.Catalog;
        var trained = Enumerable.Range(0, catalog.DomainCount)
            .SelectMany(d => Enumerable.Range(0, catalog.TrainedItemCounts[d]).Select(i => bundle.Sids.Codes(d, i)[^1])).ToHashSet();
        var given = new List<int>();
        for (int n = 0; ; n++)
        {
            int items = catalog.ItemCount(0), sidRows = bundle.Sids.Table.ItemCount(catalog.DomainNames[0]);
            try { given.Add(bundle.AddItem(CopyOf(bundle, 0, 2, $"COPY-{n}")).Sid[^1]); }
            catch (GenCdrException e)
            {
                Assert.Contains("disambiguation codes the model was trained with are all taken", e.Message);
                Assert.Equal(items, catalog.ItemCount(0));
                Assert.Equal(items, bundle.Sids.ItemCount(0));
                Assert.Equal(sidRows, bundle.Sids.Table.ItemCount(catalog.DomainNames[0]));
                Assert.False(catalog.TryFindItem($"COPY-{n}", 0, out _));
                break;
            }
        }
        Assert.NotEmpty(given);
        Assert.All(given, code => Assert.Contains(code, trained));
        Assert.Equal(given.Distinct(), given);
    }

    /// <summary>A save killed before its commit marker leaves the old bundle; one killed after it is finished by the next
    /// load. Either way the bundle loads (its checksums match) with all of the change or none of it.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_interrupted_save_is_all_or_nothing_on_disk(bool pastTheCommitMarker)
    {
        string copy = fixture.CopyBundle();
        using (var bundle = ModelBundle.Load(copy))
        {
            bundle.AddItem(CopyOf(bundle, 0, 4, "HALF-SAVED"));
            bundle.Save();
        }
        // replay the crash: put the staged change back (as Save leaves it just before moving the files) and restore the old files
        string staging = Path.Combine(copy, ModelBundle.SavingFolder);
        Directory.CreateDirectory(Path.Combine(staging, BundleLayout.Catalog));
        foreach (var relative in new[] { BundleLayout.SemanticIds, BundleLayout.ManifestFile }
                     .Concat(Directory.GetFiles(BundleLayout.PathOf(copy, BundleLayout.Catalog)).Select(f => $"{BundleLayout.Catalog}/{Path.GetFileName(f)}")))
        {
            File.Copy(BundleLayout.PathOf(copy, relative), BundleLayout.PathOf(staging, relative));
            File.Copy(BundleLayout.PathOf(fixture.BundleDirectory, relative), BundleLayout.PathOf(copy, relative), overwrite: true);
        }
        // and half of the moves done: the new SID table is already in place next to the old catalog
        File.Move(BundleLayout.PathOf(staging, BundleLayout.SemanticIds), BundleLayout.PathOf(copy, BundleLayout.SemanticIds), overwrite: true);
        if (pastTheCommitMarker) File.WriteAllText(Path.Combine(staging, "commit"), "now");
        else File.Copy(BundleLayout.PathOf(fixture.BundleDirectory, BundleLayout.SemanticIds), BundleLayout.PathOf(copy, BundleLayout.SemanticIds), overwrite: true);

        using var reloaded = ModelBundle.Load(copy);
        Assert.Equal(pastTheCommitMarker, reloaded.Catalog.TryFindItem("HALF-SAVED", 0, out _));
        Assert.False(Directory.Exists(staging));
    }

    [Fact]
    public async Task Post_items_makes_the_item_servable_over_http()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory, RunningServer.KeyedOptions);
        var template = server.Bundle.Catalog.Item(1, 9);
        var (status, body) = await server.Post("/v1/items", new { id = "HTTP-NEW", domain = "apparel", title = template.Text.Title, brand = template.Text.Brand, categories = template.Text.Categories }, RunningServer.TestKey);
        Assert.Equal(201, status);
        Assert.True(body.GetProperty("added").GetBoolean());
        var item = await server.GetJson("/v1/items/HTTP-NEW?domain=apparel");
        Assert.Equal(template.Text.Title, item.GetProperty("title").GetString());
        var neighbours = await server.GetJson($"/v1/items/HTTP-NEW/neighbours?domain=apparel&prefix={server.Bundle.Sids.Vocabulary.Levels - 1}");
        Assert.Contains(neighbours.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == template.Id);
        (status, body) = await server.Post("/v1/recommend", new { history = new[] { new { item = "HTTP-NEW" } }, domain = "outdoor", k = 3 });
        Assert.Equal(200, status);
        Assert.Empty(body.GetProperty("warnings").EnumerateArray());
        (status, body) = await server.Post("/v1/items", new { id = "HTTP-NEW", domain = "apparel", title = "again" }, RunningServer.TestKey);
        Assert.Equal(400, status);
        Assert.Contains("already has", body.GetProperty("error").GetString());
    }
}
