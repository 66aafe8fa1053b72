using GenCdr.Tokenization;
using GenCdr.Data;
using GenCdr.Recommender;
using GenCdr.Serving;
using GenCdr.Tests.Recommender;
using GenCdr.Tests.Serving;
using GenCdr.Tests.Training;
using GenCdr.Training;
using static TorchSharp.torch;

namespace GenCdr.Tests.Cli;

/// <summary>
/// Issue #14 end to end through the real CLI process: a tiny random Qwen2 checkpoint (untied, in two shards) as
/// `gencdr run --backbone`, then export (copied and referenced) and serving. The backbone's weights must come out of
/// training bit-identical to the checkpoint, and only the new token rows, the LoRA experts and the routers may move.
/// </summary>
public class PretrainedBackboneCliTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("gencdr-backbone-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_with_a_pretrained_backbone_trains_only_the_new_parameters_and_its_bundle_serves()
    {
        using var checkpoint = new TinyQwen2Checkpoint(tied: false, shards: 2);
        var tiny = TinyRun.Config(Path.Combine(_dir, "cache"));
        // the pretrained path reads SID prompts, so the token layout (and its mixed domain pass)
        tiny = tiny with { Recommender = tiny.Recommender with { Layout = SequenceLayout.Token, DomainPassHistory = DomainPassHistory.Mixed, RouterSelection = SelectionMetric.Recall10 } };
        string config = Path.Combine(_dir, "tiny.json");
        tiny.Save(config);
        string run = Path.Combine(_dir, "run");

        var (exit, output) = CliTests.Gencdr(_dir, "run", "--config", config, "--backbone", checkpoint.Folder, "--out", run);
        Assert.True(exit == 0, output);
        Assert.Contains("GenCDR", output);
        Assert.Contains("R@10", output);
        Assert.DoesNotContain("backbone epoch", output);   // stage 0 is skipped

        var (folder, saved) = RunFolder.Open(run);
        Assert.Equal(Path.GetFullPath(checkpoint.Folder), saved.Recommender.PretrainedBackbone);
        Assert.Equal(Qwen2CheckpointLoader.Checksum(checkpoint.Folder), saved.Recommender.PretrainedBackboneSha256);
        var data = PreparedDatasetStore.Load(folder.Data);
        var sids = new SemanticIds(data, SemanticIdTable.Load(folder.SemanticIds), saved.Tokenizer.CodebookSize);
        using (var trained = GenCdrPipeline.LoadModel(saved, sids, folder))
        using (var fresh = GenerativeRecommender.Create(saved.Recommender, sids.Vocabulary))
        {
            foreach (var (name, tensor) in TinyQwen2Checkpoint.FrozenPairs(trained.Backbone))
                Assert.True(tensor.equal(checkpoint.Weights[name]).all().item<bool>(), $"{name} changed in training");
            var frozen = trained.PretrainedWeightNames().ToHashSet();
            var before = fresh.state_dict();
            var moved = trained.state_dict().Where(p => !frozen.Contains(p.Key) && !p.Value.equal(before[p.Key]).all().item<bool>())
                .Select(p => p.Key).ToList();
            Assert.Contains(moved, name => name.Contains("embed_tokens"));       // the SID rows
            Assert.Contains(moved, name => name.Contains("lm_head"));            // untied: their output rows
            Assert.Contains(moved, name => name.Contains("univ_B"));             // the universal LoRA experts (B starts at 0)
            Assert.Contains(moved, name => name.Contains("dom_B"));              // the domain adapters
            Assert.Contains(moved, name => name.Contains("expert_gate"));        // the MoE gate
            Assert.Contains(moved, name => name.StartsWith("routers."));         // the user routers
        }

        // a copied bundle carries the checkpoint; a referenced one names it by path and checksum
        string copied = Path.Combine(_dir, "copied.gcdr"), referenced = Path.Combine(_dir, "referenced.gcdr");
        (exit, output) = CliTests.Gencdr(_dir, "export", "--run", run, "--out", copied);
        Assert.True(exit == 0, output);
        Assert.True(File.Exists(Path.Combine(copied, BundleLayout.Backbone, "config.json")));
        (exit, output) = CliTests.Gencdr(_dir, "export", "--run", run, "--out", referenced, "--reference-backbone");
        Assert.True(exit == 0, output);
        Assert.False(Directory.Exists(Path.Combine(referenced, BundleLayout.Backbone)));

        string user = data.UserIds[0];
        string[] Served(System.Text.Json.JsonElement body) => body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()!).ToArray();
        string[] fromCopy, fromReference;
        await using (var server = await RunningServer.StartAsync(copied))
            fromCopy = Served(await server.GetJson($"/v1/users/{user}/recommendations?domain=outdoor&k=5"));
        await using (var server = await RunningServer.StartAsync(referenced))
            fromReference = Served(await server.GetJson($"/v1/users/{user}/recommendations?domain=outdoor&k=5"));
        Assert.NotEmpty(fromCopy);
        Assert.Equal(fromCopy, fromReference);

        // a referenced bundle refuses a checkpoint that changed since the export, before serving anything from it
        using (var changed = new TinyQwen2Checkpoint(tied: false, shards: 2, edit: w => w["model.norm.weight"].add_(1e-3)))
        {
            foreach (var file in Directory.GetFiles(changed.Folder)) File.Copy(file, Path.Combine(checkpoint.Folder, Path.GetFileName(file)), overwrite: true);
        }
        var error = Assert.Throws<GenCdrException>(() => ModelBundle.Load(referenced));
        Assert.Contains("SHA-256", error.Message);
    }
}
