using System.Reflection;
using GenCdr.Serving;

namespace GenCdr.Tests.Serving;

/// <summary>The CLI commands `gencdr export`, `gencdr items add` and `gencdr serve`, run through the CLI's entry point.</summary>
[Collection(TrainedModelCollection.Name)]
public sealed class ServeCommandTests(TrainedModelFixture fixture)
{
    static int Gencdr(params string[] args) => (int)Assembly.Load("GenCdr.Cli").EntryPoint!.Invoke(null, [args])!;

    [Fact]
    public void Export_then_items_add_give_a_bundle_that_serves_the_new_item()
    {
        string bundle = Path.Combine(fixture.Root, $"cli-{Guid.NewGuid():N}.gcdr");
        Assert.Equal(0, Gencdr("export", "--run", fixture.RunDirectory, "--out", bundle));
        Assert.Equal(0, Gencdr("items", "add", "--model", bundle, "--domain", "outdoor", "--id", "CLI-NEW",
            "--title", "Summit ultralight green nylon tent", "--category", "Tents", "--category", "Camping"));
        using var loaded = ModelBundle.Load(bundle);
        Assert.True(loaded.Catalog.TryFindItem("CLI-NEW", 0, out var item));
        Assert.Equal(["Tents", "Camping"], item.Item.Text.Categories);
        Assert.Equal(1, loaded.Manifest.Domains[0].AddedItems);
        Assert.Equal(1, Gencdr("items", "add", "--model", bundle, "--domain", "garden", "--id", "X", "--title", "t")); // user error: exit 1
        Assert.Equal(1, Gencdr("export", "--run", fixture.Root, "--out", Path.Combine(fixture.Root, "nothing.gcdr"))); // not a run folder
    }

    /// <summary>The key is read before anything else: a missing key file stops `serve` with exit code 1 (a server that
    /// started instead would not return, and the test would hang).</summary>
    [Fact]
    public void Serve_with_a_missing_key_file_exits_with_1_before_serving()
    {
        string missing = Path.Combine(fixture.Root, "no-such.key");
        Assert.Equal(1, Gencdr("serve", "--model", fixture.BundleDirectory, "--urls", "http://127.0.0.1:0", "--api-key-file", missing));
        Assert.Equal(1, Gencdr("serve", "--model", fixture.BundleDirectory, "--urls", "http://127.0.0.1:0", "--require-key-for-reads", "--api-key-file", missing));
    }

    /// <summary>The server listens while the bundle loads; a bundle that cannot load stops it with exit code 1.</summary>
    [Fact]
    public void Serve_with_a_missing_bundle_exits_with_1()
    {
        Assert.Equal(1, Gencdr("serve", "--model", Path.Combine(fixture.Root, "no-such.gcdr"), "--urls", "http://127.0.0.1:0"));
    }
}
