using GenCdr.Recommender;
using static TorchSharp.torch;
using Q = GenCdr.Tests.Recommender.TinyQwen2Checkpoint;

namespace GenCdr.Tests.Recommender;

public class Qwen2CheckpointLoaderTests
{
    /// <summary>Qwen2's forward written out with plain tensor operations, straight from the checkpoint tensors.</summary>
    static Tensor ReferenceLogits(Dictionary<string, Tensor> w, long[] ids, bool tied)
    {
        int hd = Q.Hidden / Q.Heads, t = ids.Length;
        Tensor Norm(Tensor x, Tensor g) => x * rsqrt(x.pow(2).mean([-1L], keepdim: true) + 1e-6) * g;
        var inv = 1.0 / pow(10000.0, arange(0, hd, 2, dtype: float64) / hd);
        var ang = arange(t, dtype: float64).unsqueeze(1) * inv.unsqueeze(0);
        var cos = cat([ang, ang], 1).cos().to_type(float32);
        var sin = cat([ang, ang], 1).sin().to_type(float32);
        Tensor Rope(Tensor x) { var h = x.chunk(2, -1); return x * cos + cat([-h[1], h[0]], -1) * sin; }
        var causal = ones(t, t).tril().eq(0);
        var x = w["model.embed_tokens.weight"].index_select(0, tensor(ids));
        for (int l = 0; l < Q.Layers; l++)
        {
            var p = $"model.layers.{l}.";
            var h = Norm(x, w[p + "input_layernorm.weight"]);
            Tensor Lin(string n, Tensor input) => input.matmul(w[p + n + ".weight"].t()) + (w.TryGetValue(p + n + ".bias", out var b) ? b : zeros(1));
            var q = Lin("self_attn.q_proj", h).view(t, Q.Heads, hd).transpose(0, 1);
            var k = Lin("self_attn.k_proj", h).view(t, Q.KvHeads, hd).transpose(0, 1).repeat_interleave(Q.Heads / Q.KvHeads, 0);
            var v = Lin("self_attn.v_proj", h).view(t, Q.KvHeads, hd).transpose(0, 1).repeat_interleave(Q.Heads / Q.KvHeads, 0);
            var scores = Rope(q).matmul(Rope(k).transpose(1, 2)) / Math.Sqrt(hd);
            var attn = softmax(scores.masked_fill(causal, double.NegativeInfinity), -1).matmul(v).transpose(0, 1).reshape(t, Q.Hidden);
            x = x + Lin("self_attn.o_proj", attn);
            var h2 = Norm(x, w[p + "post_attention_layernorm.weight"]);
            x = x + Lin("mlp.down_proj", nn.functional.silu(Lin("mlp.gate_proj", h2)) * Lin("mlp.up_proj", h2));
        }
        return Norm(x, w["model.norm.weight"]).matmul(w[tied ? "model.embed_tokens.weight" : "lm_head.weight"].t());
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 3)]
    public void LoadsATinyCheckpointThatMatchesAPlainQwen2Forward(bool tied, int shards)
    {
        using var checkpoint = new Q(tied, shards);
        using var model = Qwen2CheckpointLoader.Load(checkpoint.Folder, Tiny.Vocabulary, Tiny.Config);
        model.eval();
        var net = model.Backbone;
        Assert.Equal(Q.Hidden, model.Config.DModel);
        Assert.Equal(tied, model.Config.TieEmbeddings);
        Assert.Equal(Path.GetFullPath(checkpoint.Folder), model.Config.PretrainedBackbone);
        // only the SID vocabulary: the LLM's own rows are never read with SID prompts
        Assert.Equal(Tiny.Vocabulary.Size, (int)net.Embeddings.weight!.shape[0]);
        foreach (var (name, tensor) in Q.FrozenPairs(net)) Assert.True(tensor.equal(checkpoint.Weights[name]).all().item<bool>(), name);
        // the new rows start on the scale of the LLM's embedding (std 0.2 here), not at the from-scratch 0.02
        double std = net.Embeddings.weight!.std().item<float>();
        Assert.InRange(std, 0.12, 0.3);

        long[] sidTokens = [SidVocabulary.Bos, Tiny.Vocabulary.DomainToken(1), Tiny.Vocabulary.CodeToken(0, 2), Tiny.Vocabulary.CodeToken(1, 3)];
        using var _ = no_grad();
        var logits = net.forward(tensor(sidTokens).unsqueeze(0))[0];
        Assert.Equal(Tiny.Vocabulary.Size, (int)logits.shape[1]);

        // the same computation from the checkpoint's tensors alone, with the SID rows the model added as the vocabulary
        var extended = new Dictionary<string, Tensor>(checkpoint.Weights) { ["model.embed_tokens.weight"] = net.Embeddings.weight!.detach() };
        if (!tied) extended["lm_head.weight"] = net.LmHead!.weight!.detach();
        var reference = ReferenceLogits(extended, sidTokens, tied);
        Assert.True(reference.allclose(logits, rtol: 0, atol: 1e-4), $"max diff {(reference - logits).abs().max().item<float>()}");
    }

    [Fact]
    public void AMissingTensorIsReportedByName()
    {
        using var checkpoint = new Q(tied: true, edit: w => w.Remove("model.layers.1.mlp.up_proj.weight"));
        var e = Assert.Throws<GenCdrException>(() => Qwen2CheckpointLoader.Load(checkpoint.Folder, Tiny.Vocabulary, Tiny.Config));
        Assert.Contains("model.layers.1.mlp.up_proj.weight", e.Message);
    }

    [Fact]
    public void AModelRefusesACheckpointThatChangedSinceItWasConfigured()
    {
        using var checkpoint = new Q(tied: true);
        var config = Qwen2CheckpointLoader.ReadConfig(checkpoint.Folder, Tiny.Config);
        GenerativeRecommender.Create(config, Tiny.Vocabulary).Dispose();
        using (var _ = no_grad()) checkpoint.Weights["model.norm.weight"].add_(1);
        TorchSharp.PyBridge.Safetensors.SaveStateDict(Path.Combine(checkpoint.Folder, "model.safetensors"), checkpoint.Weights);
        var e = Assert.Throws<GenCdrException>(() => GenerativeRecommender.Create(config, Tiny.Vocabulary));
        Assert.Contains("SHA-256", e.Message);
    }

    [Fact]
    public void WeightFilesLeaveTheCheckpointOutAndReloadOntoIt()
    {
        using var checkpoint = new Q(tied: false);
        var config = Qwen2CheckpointLoader.ReadConfig(checkpoint.Folder, Tiny.Config);
        string dir = Directory.CreateTempSubdirectory("gencdr-pretrained-").FullName;
        try
        {
            using var trained = GenerativeRecommender.Create(config, Tiny.Vocabulary);
            Tiny.RandomiseAdapters(trained, seed: 3);
            string file = Path.Combine(dir, "pretrained.bin"), scratchFile = Path.Combine(dir, "scratch.bin");
            trained.SaveTo(file);
            using (var scratch = new GenerativeRecommender(config with { PretrainedBackbone = null, PretrainedBackboneSha256 = null }, Tiny.Vocabulary))
                scratch.SaveTo(scratchFile);
            long frozenBytes = Q.FrozenPairs(trained.Backbone).Sum(p => p.Model.numel() * 4);
            Assert.True(new FileInfo(scratchFile).Length - new FileInfo(file).Length >= frozenBytes,
                $"{new FileInfo(file).Length} bytes with the checkpoint left out, {new FileInfo(scratchFile).Length} with it, {frozenBytes} frozen");

            using var reloaded = GenerativeRecommender.Create(config, Tiny.Vocabulary);
            reloaded.LoadFrom(file);
            var expected = trained.state_dict();
            foreach (var (name, tensor) in reloaded.state_dict()) Assert.True(tensor.equal(expected[name]).all().item<bool>(), name);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void WithAPretrainedBackboneThereIsNoStageZeroAndTheFirstLoraStageTrainsTheNewTokens()
    {
        using var checkpoint = new Q(tied: true);
        var config = Qwen2CheckpointLoader.ReadConfig(checkpoint.Folder, Tiny.Config);
        var plan = StagePlan.For(config, domainCount: 2);
        Assert.DoesNotContain(plan, s => s.Stage == Stage.Backbone);
        Assert.Equal(Stage.Universal, plan[0].Stage);
        using var model = GenerativeRecommender.Create(config, Tiny.Vocabulary);
        var frozen = new HashSet<TorchSharp.Modules.Parameter>(model.Backbone.TransformerParameters(), ReferenceEqualityComparer.Instance);
        var tokens = new HashSet<TorchSharp.Modules.Parameter>(model.NewTokenParameters(), ReferenceEqualityComparer.Instance);
        foreach (var row in plan)
        {
            var trainable = RecommenderTrainer.TrainableParameters(model, row.Stage, row.Domain);
            Assert.DoesNotContain(trainable, p => frozen.Contains(p));
            Assert.Equal(row.Stage == Stage.Universal, trainable.Any(p => tokens.Contains(p)));
        }
        // without universal experts domain 0's adapter stage is the first, and it alone trains the new tokens
        var noUniversal = config with { UseUniversalExperts = false };
        Assert.True(StagePlan.TrainsNewTokens(noUniversal, Stage.DomainAdapter, 0));
        Assert.False(StagePlan.TrainsNewTokens(noUniversal, Stage.DomainAdapter, 1));
    }

    [Fact]
    public void WithItemTextInThePromptTextTokensReadTheCheckpointsOwnFrozenRows()
    {
        using var checkpoint = new Q(tied: true, withTokenizer: true);
        var config = Qwen2CheckpointLoader.ReadConfig(checkpoint.Folder, Tiny.Config with { PromptItemText = true });
        Assert.Equal(Q.Vocab, config.TextVocabularySize);
        // the tokenizer decides the prompt, so it is part of the checksum the model is tied to
        Assert.Equal(Qwen2CheckpointLoader.Checksum(checkpoint.Folder, withTokenizer: true), config.PretrainedBackboneSha256);
        Assert.NotEqual(Qwen2CheckpointLoader.Checksum(checkpoint.Folder), config.PretrainedBackboneSha256);
        using var model = GenerativeRecommender.Create(config, Tiny.Vocabulary);
        model.eval();
        var net = model.Backbone;
        var llmRows = checkpoint.Weights["model.embed_tokens.weight"];
        Assert.True(net.TextEmbeddings!.weight!.equal(llmRows).all().item<bool>());
        // frozen with the checkpoint and left out of weight files
        Assert.Contains(net.TextEmbeddings.weight!, model.Backbone.TransformerParameters());
        Assert.Contains(model.PretrainedWeightNames(), name => name.Contains("text_embed_tokens"));

        // a prompt mixing SID and text tokens: text token t is model token V + t and reads the LLM's row t
        var v = Tiny.Vocabulary;
        long[] prompt = [SidVocabulary.Bos, v.DomainToken(0), v.CodeToken(0, 1), v.CodeToken(1, 2), v.CodeToken(2, 0), v.Size + 7, v.Size + 3, v.DomainToken(1)];
        using var _ = no_grad();
        var embedded = net.Embed(tensor(prompt));
        Assert.True(embedded[5].equal(llmRows[7]).all().item<bool>() && embedded[6].equal(llmRows[3]).all().item<bool>());
        Assert.True(embedded[1].equal(net.Embeddings.weight![v.DomainToken(0)]).all().item<bool>());
        // and the forward over it is Qwen2's over the joint table (SID rows, then the LLM's), read out over the SID rows
        var logits = net.forward(tensor(prompt).unsqueeze(0))[0];
        var joint = cat([net.Embeddings.weight!.detach(), llmRows]);
        var extended = new Dictionary<string, Tensor>(checkpoint.Weights) { ["model.embed_tokens.weight"] = joint };
        var reference = ReferenceLogits(extended, prompt, tied: true)[.., ..v.Size];
        Assert.True(reference.allclose(logits, rtol: 0, atol: 1e-4), $"max diff {(reference - logits).abs().max().item<float>()}");
    }

    [Fact]
    public void ItemTextInThePromptNeedsTheCheckpointsTokenizerAndTheTokenLayout()
    {
        using var checkpoint = new Q(tied: true);      // no tokenizer.json
        var missing = Assert.Throws<GenCdrException>(() => Qwen2CheckpointLoader.ReadConfig(checkpoint.Folder, Tiny.Config with { PromptItemText = true }));
        Assert.Contains("tokenizer.json", missing.Message);
        var noBackbone = Assert.Throws<GenCdrException>(() => (Tiny.Config with { PromptItemText = true, TextVocabularySize = 50 }).Validate());
        Assert.Contains("PretrainedBackbone", noBackbone.Message);
        using var withTokenizer = new Q(tied: true, withTokenizer: true);
        var config = Qwen2CheckpointLoader.ReadConfig(withTokenizer.Folder, Tiny.Config with { PromptItemText = true });
        var itemLayout = Assert.Throws<GenCdrException>(() => (config with { Layout = SequenceLayout.Item, DomainPassHistory = HistoryView.InDomain }).Validate());
        Assert.Contains("Token", itemLayout.Message);
        Assert.Contains("PromptTextTokens", Assert.Throws<GenCdrException>(() => (config with { PromptTextTokens = 0 }).Validate()).Message);
    }

    [Fact]
    public void ItemPromptTextIsTheItemsTextInTheCheckpointsTokensAfterTheSidVocabulary()
    {
        using var checkpoint = new Q(tied: true, withTokenizer: true);
        var config = Qwen2CheckpointLoader.ReadConfig(checkpoint.Folder, Tiny.Config with { PromptItemText = true, PromptTextTokens = 6 });
        GenCdr.Data.Item Item(string id, string title) => new(id, "outdoor", new GenCdr.Data.ItemText(title, "", [], ""));
        var text = ItemPromptText.For([[Item("a", "Red tent"), Item("b", "")], [Item("c", "ab")]], config, sidVocabularySize: 100, includeDescription: false)!;
        int Id(char c) => 100 + 1 + Q.TokenizerCharacters.IndexOf(c);
        // ItemTextBuilder writes "Red tent." — lower-cased one token per character by the tiny tokenizer, the first 6 kept
        Assert.Equal("red te".Select(Id), text.Of(0, 0));
        Assert.Empty(text.Of(0, 1));
        Assert.Equal("ab.".Select(Id), text.Of(1, 0));
        Assert.Null(ItemPromptText.For([[Item("a", "x")]], Tiny.Config, 100, false));
    }
}
