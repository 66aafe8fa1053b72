using System.Text.Json;
using GenCdr.Evaluation;
using GenCdr.Serving;
using GenCdr.Training;

namespace GenCdr.Tests.Serving;

[Collection(TrainedModelCollection.Name)]
public sealed class ModelBundleTests(TrainedModelFixture fixture)
{
    [Fact]
    public void Export_writes_a_manifest_with_counts_and_a_checksum_for_every_file()
    {
        var manifest = BundleManifest.Read(fixture.BundleDirectory);
        Assert.Equal(BundleManifest.CurrentVersion, manifest.FormatVersion);
        Assert.Equal(["outdoor", "apparel"], manifest.Domains.Select(d => d.Name));
        Assert.All(manifest.Domains, d => Assert.Equal(0, d.AddedItems));
        Assert.Equal(fixture.Config.Recommender.DModel, manifest.Config.Recommender.DModel);
        foreach (var file in new[] { "catalog/items.tsv", "catalog/users.tsv", "catalog/events.tsv", "semantic-ids.tsv",
                     "tokenizer/tokenizer.safetensors", BundleLayout.RecommenderWeights })
            Assert.Equal(64, manifest.Files[file].Length);
        Assert.True(manifest.Users > 0 && manifest.Events > manifest.Users);
    }

    [Fact]
    public void A_loaded_bundle_recommends_what_the_run_folder_recommends()
    {
        var (folder, config) = RunFolder.Open(fixture.RunDirectory);
        var (data, _, fromRun) = GenCdrPipeline.Load(folder, config);
        using var bundle = ModelBundle.Load(fixture.BundleDirectory);
        var queries = data.Test.Take(8).Select(t => new RecommendationQuery(t.User, data.HistoryBefore(t), t.Domain)).ToArray();
        var expected = fromRun.Decode(queries, 5).PerUser;
        var actual = bundle.Recommender.Decode(queries, 5).PerUser;
        for (int q = 0; q < queries.Length; q++)
        {
            Assert.Equal(expected[q].Select(r => r.Item), actual[q].Select(r => r.Item));
            Assert.Equal(expected[q].Select(r => r.Score), actual[q].Select(r => r.Score));
        }
        Assert.Equal(data.UserCount, bundle.Catalog.UserIds.Count);
    }

    [Fact]
    public void A_truncated_file_fails_with_a_checksum_error_naming_it()
    {
        string copy = fixture.CopyBundle();
        string weights = BundleLayout.PathOf(copy, BundleLayout.RecommenderWeights);
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<GenCdrException>(() => ModelBundle.Load(copy));
        Assert.Contains("recommender.bin", e.Message);
        Assert.Contains("checksum mismatch", e.Message);
    }

    [Fact]
    public void A_missing_file_fails_naming_it()
    {
        string copy = fixture.CopyBundle();
        File.Delete(BundleLayout.PathOf(copy, BundleLayout.SemanticIds));
        var e = Assert.Throws<GenCdrException>(() => ModelBundle.Load(copy));
        Assert.Contains("semantic-ids.tsv", e.Message);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void An_unknown_format_version_is_refused()
    {
        string copy = fixture.CopyBundle();
        string path = Path.Combine(copy, BundleLayout.ManifestFile);
        var manifest = BundleManifest.Read(copy) with { FormatVersion = 99 };
        File.WriteAllText(path, manifest.ToJson());
        var e = Assert.Throws<GenCdrException>(() => ModelBundle.Load(copy));
        Assert.Contains("version 99", e.Message);
    }

    [Fact]
    public void A_folder_without_bundle_json_and_a_run_that_is_not_trained_are_refused()
    {
        var e = Assert.Throws<GenCdrException>(() => ModelBundle.Load(fixture.RunDirectory));
        Assert.Contains("bundle.json", e.Message);
        string untrained = Path.Combine(fixture.Root, $"untrained-{Guid.NewGuid():N}");
        new RunFolder(untrained).Begin(fixture.Config);
        Assert.Contains("not trained", Assert.Throws<GenCdrException>(() => ModelBundle.Export(untrained, Path.Combine(fixture.Root, "x.gcdr"))).Message);
    }

    [Fact]
    public void Export_refuses_to_overwrite_something_that_is_not_a_bundle()
    {
        string target = Path.Combine(fixture.Root, $"occupied-{Guid.NewGuid():N}");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep.txt"), "mine");
        Assert.Throws<GenCdrException>(() => ModelBundle.Export(fixture.RunDirectory, target));
        Assert.True(File.Exists(Path.Combine(target, "keep.txt")));
    }

    [Fact]
    public void The_manifest_is_plain_json()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.BundleDirectory, BundleLayout.ManifestFile)));
        Assert.Equal(BundleManifest.CurrentVersion, doc.RootElement.GetProperty("FormatVersion").GetInt32());
        Assert.True(doc.RootElement.GetProperty("Files").EnumerateObject().Count() >= 8);
    }
}
