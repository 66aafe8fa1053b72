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
        tiny = tiny with { Recommender = tiny.Recommender with { Layout = SequenceLayout.Token, DomainPassHistory = HistoryView.Mixed, RouterSelection = SelectionMetric.Recall10 } };
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

    /// <summary>The paper's prompt over a pretrained LLM: each history item's text in the checkpoint's own tokens after its
    /// SID (`--prompt-item-text`), through the real CLI, then a copied bundle that serves and takes a new item.</summary>
    [Fact]
    public void Run_with_item_text_in_the_prompt_reads_the_checkpoints_tokenizer_and_frozen_rows_and_its_bundle_serves()
    {
        using var checkpoint = new TinyQwen2Checkpoint(tied: true, withTokenizer: true);
        var tiny = TinyRun.Config(Path.Combine(_dir, "cache"));
        tiny = tiny with { Recommender = tiny.Recommender with { Layout = SequenceLayout.Token, DomainPassHistory = HistoryView.Mixed, RouterSelection = SelectionMetric.Recall10 } };
        string config = Path.Combine(_dir, "tiny.json");
        tiny.Save(config);
        string run = Path.Combine(_dir, "run-text");

        var (exit, output) = CliTests.Gencdr(_dir, "run", "--config", config, "--backbone", checkpoint.Folder, "--prompt-item-text", "--out", run);
        Assert.True(exit == 0, output);
        Assert.Contains("R@10", output);

        var (folder, saved) = RunFolder.Open(run);
        Assert.True(saved.Recommender.PromptItemText);
        Assert.Equal(TinyQwen2Checkpoint.Vocab, saved.Recommender.TextVocabularySize);
        var data = PreparedDatasetStore.Load(folder.Data);
        var sids = SemanticIds.For(data, SemanticIdTable.Load(folder.SemanticIds), saved);
        using (var trained = GenCdrPipeline.LoadModel(saved, sids, folder))
        {
            // the LLM's rows read the text and stay frozen
            Assert.True(trained.Backbone.TextEmbeddings!.weight!.equal(checkpoint.Weights["model.embed_tokens.weight"]).all().item<bool>());
            // the decoding prompt carries every history item's text: the tiny tokenizer's one token per character
            var recommender = sids.Recommender(trained);
            var items = recommender.Items(data.TrainingHistory(0));
            Assert.All(items, item => Assert.NotEmpty(item.Text!));
            Assert.All(items.SelectMany(item => item.Text!), token => Assert.InRange(token, sids.Vocabulary.Size, sids.Vocabulary.Size + TinyQwen2Checkpoint.Vocab - 1));
            Assert.NotEmpty(recommender.Recommend([new GenCdr.Evaluation.RecommendationQuery(0, data.TrainingHistory(0), 0)], 5)[0]);
        }

        string copied = Path.Combine(_dir, "copied-text.gcdr");
        (exit, output) = CliTests.Gencdr(_dir, "export", "--run", run, "--out", copied);
        Assert.True(exit == 0, output);
        Assert.True(File.Exists(Path.Combine(copied, BundleLayout.Backbone, "tokenizer.json")));
        using var bundle = ModelBundle.Load(copied);
        var added = bundle.AddItem(new NewItem { Id = "NEW-TENT", Domain = "outdoor", Title = "Red tent" });
        // the new item's prompt text is its own title's tokens ("red tent.", then the brand/category sentences if any)
        int Id(char c) => bundle.Sids.Vocabulary.Size + 1 + TinyQwen2Checkpoint.TokenizerCharacters.IndexOf(c);
        Assert.Equal("red tent.".Select(Id), bundle.Sids.PromptText!.Of(added.Item.Domain, added.Item.Index));
        var history = new[] { new Event(added.Item.Domain, added.Item.Index, 0) };
        Assert.Equal(bundle.Sids.PromptText.Of(added.Item.Domain, added.Item.Index), bundle.Recommender.Items(history)[0].Text);
        Assert.NotEmpty(bundle.Recommender.Recommend([new GenCdr.Evaluation.RecommendationQuery(-1, history, added.Item.Domain)], 5)[0]);
    }
}
