using GenCdr.Recommender;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace GenCdr.Tests.Recommender;

public class Qwen2CheckpointLoaderTests
{
    const int Hidden = 32, Layers = 2, Heads = 4, KvHeads = 2, Ffn = 48, Vocab = 50;

    static Dictionary<string, Tensor> RandomCheckpoint(bool tied)
    {
        var g = new Generator(5);
        Tensor R(params long[] shape) => randn(shape, generator: g) * 0.2;
        int hd = Hidden / Heads;
        var w = new Dictionary<string, Tensor> { ["model.embed_tokens.weight"] = R(Vocab, Hidden), ["model.norm.weight"] = 1 + R(Hidden) };
        if (!tied) w["lm_head.weight"] = R(Vocab, Hidden);
        for (int l = 0; l < Layers; l++)
        {
            var p = $"model.layers.{l}.";
            w[p + "input_layernorm.weight"] = 1 + R(Hidden);
            w[p + "post_attention_layernorm.weight"] = 1 + R(Hidden);
            w[p + "self_attn.q_proj.weight"] = R(Heads * hd, Hidden); w[p + "self_attn.q_proj.bias"] = R(Heads * hd);
            w[p + "self_attn.k_proj.weight"] = R(KvHeads * hd, Hidden); w[p + "self_attn.k_proj.bias"] = R(KvHeads * hd);
            w[p + "self_attn.v_proj.weight"] = R(KvHeads * hd, Hidden); w[p + "self_attn.v_proj.bias"] = R(KvHeads * hd);
            w[p + "self_attn.o_proj.weight"] = R(Hidden, Heads * hd);
            w[p + "mlp.gate_proj.weight"] = R(Ffn, Hidden);
            w[p + "mlp.up_proj.weight"] = R(Ffn, Hidden);
            w[p + "mlp.down_proj.weight"] = R(Hidden, Ffn);
        }
        return w;
    }

    static string WriteCheckpoint(Dictionary<string, Tensor> weights, bool tied)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"gencdr-qwen2-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), $$"""
            {"architectures": ["Qwen2ForCausalLM"], "hidden_size": {{Hidden}}, "num_hidden_layers": {{Layers}},
             "num_attention_heads": {{Heads}}, "num_key_value_heads": {{KvHeads}}, "intermediate_size": {{Ffn}},
             "vocab_size": {{Vocab}}, "rope_theta": 10000.0, "rms_norm_eps": 1e-6, "tie_word_embeddings": {{(tied ? "true" : "false")}},
             "hidden_act": "silu"}
            """);
        Safetensors.SaveStateDict(Path.Combine(folder, "model.safetensors"), weights);
        return folder;
    }

    /// <summary>Qwen2's forward written out with plain tensor operations, straight from the checkpoint tensors.</summary>
    static Tensor ReferenceLogits(Dictionary<string, Tensor> w, long[] ids, bool tied)
    {
        int hd = Hidden / Heads, t = ids.Length;
        Tensor Norm(Tensor x, Tensor g) => x * rsqrt(x.pow(2).mean([-1L], keepdim: true) + 1e-6) * g;
        var inv = 1.0 / pow(10000.0, arange(0, hd, 2, dtype: float64) / hd);
        var ang = arange(t, dtype: float64).unsqueeze(1) * inv.unsqueeze(0);
        var cos = cat([ang, ang], 1).cos().to_type(float32);
        var sin = cat([ang, ang], 1).sin().to_type(float32);
        Tensor Rope(Tensor x) { var h = x.chunk(2, -1); return x * cos + cat([-h[1], h[0]], -1) * sin; }
        var causal = ones(t, t).tril().eq(0);
        var x = w["model.embed_tokens.weight"].index_select(0, tensor(ids));
        for (int l = 0; l < Layers; l++)
        {
            var p = $"model.layers.{l}.";
            var h = Norm(x, w[p + "input_layernorm.weight"]);
            Tensor Lin(string n, Tensor input) => input.matmul(w[p + n + ".weight"].t()) + (w.TryGetValue(p + n + ".bias", out var b) ? b : zeros(1));
            var q = Lin("self_attn.q_proj", h).view(t, Heads, hd).transpose(0, 1);
            var k = Lin("self_attn.k_proj", h).view(t, KvHeads, hd).transpose(0, 1).repeat_interleave(Heads / KvHeads, 0);
            var v = Lin("self_attn.v_proj", h).view(t, KvHeads, hd).transpose(0, 1).repeat_interleave(Heads / KvHeads, 0);
            var scores = Rope(q).matmul(Rope(k).transpose(1, 2)) / Math.Sqrt(hd);
            var attn = softmax(scores.masked_fill(causal, double.NegativeInfinity), -1).matmul(v).transpose(0, 1).reshape(t, Hidden);
            x = x + Lin("self_attn.o_proj", attn);
            var h2 = Norm(x, w[p + "post_attention_layernorm.weight"]);
            x = x + Lin("mlp.down_proj", nn.functional.silu(Lin("mlp.gate_proj", h2)) * Lin("mlp.up_proj", h2));
        }
        return Norm(x, w["model.norm.weight"]).matmul(w[tied ? "model.embed_tokens.weight" : "lm_head.weight"].t());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadsATinyCheckpointThatMatchesAPlainQwen2Forward(bool tied)
    {
        var weights = RandomCheckpoint(tied);
        var folder = WriteCheckpoint(weights, tied);
        try
        {
            var model = Qwen2CheckpointLoader.Load(folder, Tiny.Vocabulary, Tiny.Config);
            model.eval();
            var net = model.Backbone;
            Assert.Equal(Vocab, net.TokenOffset);
            Assert.Equal(Vocab + Tiny.Vocabulary.Size, net.Embeddings.weight!.shape[0]);
            Assert.True(net.Embeddings.weight![..Vocab].allclose(weights["model.embed_tokens.weight"]));

            // SID tokens sit after the LLM's vocabulary; the logits cover the SID vocabulary only
            long[] sidTokens = [SidVocabulary.Bos, Tiny.Vocabulary.DomainToken(1), Tiny.Vocabulary.CodeToken(0, 2), Tiny.Vocabulary.CodeToken(1, 3)];
            using var _ = no_grad();
            var logits = net.forward(tensor(sidTokens).unsqueeze(0))[0];
            Assert.Equal(Tiny.Vocabulary.Size, (int)logits.shape[1]);

            // the same computation from the checkpoint tensors alone, with the SID rows the model appended
            var extended = new Dictionary<string, Tensor>(weights) { ["model.embed_tokens.weight"] = net.Embeddings.weight!.detach() };
            if (!tied) extended["lm_head.weight"] = net.LmHead!.weight!.detach();
            var reference = ReferenceLogits(extended, sidTokens.Select(t => t + Vocab).ToArray(), tied)[.., Vocab..];
            Assert.True(reference.allclose(logits, rtol: 0, atol: 1e-4), $"max diff {(reference - logits).abs().max().item<float>()}");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void AMissingTensorIsReportedByName()
    {
        var weights = RandomCheckpoint(tied: true);
        weights.Remove("model.layers.1.mlp.up_proj.weight");
        var folder = WriteCheckpoint(weights, tied: true);
        try
        {
            var e = Assert.Throws<GenCdrException>(() => Qwen2CheckpointLoader.Load(folder, Tiny.Vocabulary, Tiny.Config));
            Assert.Contains("model.layers.1.mlp.up_proj.weight", e.Message);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
