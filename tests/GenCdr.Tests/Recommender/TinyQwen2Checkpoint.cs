using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace GenCdr.Tests.Recommender;

/// <summary>A random Qwen2-family checkpoint in the Hugging Face layout (config.json + model.safetensors, or shards with
/// model.safetensors.index.json), small enough for a test: what a user's `--backbone` folder looks like.</summary>
sealed class TinyQwen2Checkpoint : IDisposable
{
    public const int Hidden = 32, Layers = 2, Heads = 4, KvHeads = 2, Ffn = 48, Vocab = 50;
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"gencdr-qwen2-{Guid.NewGuid():N}");
    public Dictionary<string, Tensor> Weights { get; }
    public bool Tied { get; }

    /// <param name="shards">1: model.safetensors; more: that many shard files and the index</param>
    /// <param name="withTokenizer">write a tokenizer.json (<see cref="TokenizerJson"/>), as every Hugging Face checkpoint has</param>
    public TinyQwen2Checkpoint(bool tied, int shards = 1, Action<Dictionary<string, Tensor>>? edit = null, bool withTokenizer = false)
    {
        Tied = tied;
        Weights = RandomWeights(tied);
        edit?.Invoke(Weights);
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "config.json"), $$"""
            {"architectures": ["Qwen2ForCausalLM"], "hidden_size": {{Hidden}}, "num_hidden_layers": {{Layers}},
             "num_attention_heads": {{Heads}}, "num_key_value_heads": {{KvHeads}}, "intermediate_size": {{Ffn}},
             "vocab_size": {{Vocab}}, "rope_theta": 10000.0, "rms_norm_eps": 1e-6, "tie_word_embeddings": {{(tied ? "true" : "false")}},
             "hidden_act": "silu"}
            """);
        if (withTokenizer) File.WriteAllText(Path.Combine(Folder, "tokenizer.json"), TokenizerJson);
        if (shards == 1) { Safetensors.SaveStateDict(Path.Combine(Folder, "model.safetensors"), Weights); return; }
        var names = Weights.Keys.Order(StringComparer.Ordinal).ToList();
        var map = new Dictionary<string, string>();
        for (int s = 0; s < shards; s++)
        {
            string file = $"model-{s + 1:D5}-of-{shards:D5}.safetensors";
            var part = names.Where((_, i) => i % shards == s).ToDictionary(n => n, n => Weights[n]);
            Safetensors.SaveStateDict(Path.Combine(Folder, file), part);
            foreach (var n in part.Keys) map[n] = file;
        }
        File.WriteAllText(Path.Combine(Folder, "model.safetensors.index.json"),
            System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["metadata"] = new { total_size = 0 }, ["weight_map"] = map }));
    }

    /// <summary>The characters of the tiny tokenizer: character c (lower-cased) is token 1 + its index here; any other is 0.</summary>
    public const string TokenizerCharacters = "abcdefghijklmnopqrstuvwxyz0123456789 .,:";

    /// <summary>A tokenizer.json the Hugging Face tokenizers library reads: lower-case, one token per character
    /// (<see cref="TokenizerCharacters"/>, [UNK] = 0), so every id fits the tiny checkpoint's <see cref="Vocab"/> rows.</summary>
    public static string TokenizerJson
    {
        get
        {
            var vocab = new Dictionary<string, int> { ["[UNK]"] = 0 };
            foreach (char c in TokenizerCharacters) vocab[c.ToString()] = vocab.Count;
            return System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["version"] = "1.0", ["truncation"] = null, ["padding"] = null, ["added_tokens"] = Array.Empty<object>(),
                ["normalizer"] = new { type = "Lowercase" },
                ["pre_tokenizer"] = new { type = "Split", pattern = new { Regex = "." }, behavior = "Isolated", invert = false },
                ["post_processor"] = null, ["decoder"] = null,
                ["model"] = new { type = "WordLevel", vocab, unk_token = "[UNK]" },
            });
        }
    }

    static Dictionary<string, Tensor> RandomWeights(bool tied)
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

    /// <summary>Every checkpoint tensor that the backbone keeps frozen (all but the LLM's vocabulary rows), by
    /// checkpoint name, next to the model's tensor it was copied into.</summary>
    public static IEnumerable<(string Name, Tensor Model)> FrozenPairs(GenCdr.Recommender.DecoderTransformer net)
    {
        yield return ("model.norm.weight", net.FinalNorm.Weight);
        int l = 0;
        foreach (var block in net.Blocks)
        {
            var p = $"model.layers.{l++}.";
            yield return (p + "input_layernorm.weight", block.InputNorm.Weight);
            yield return (p + "post_attention_layernorm.weight", block.PostAttentionNorm.Weight);
            foreach (var (name, projection) in new[] { ("q_proj", block.Attention.QProj), ("k_proj", block.Attention.KProj), ("v_proj", block.Attention.VProj) })
            {
                yield return ($"{p}self_attn.{name}.weight", projection.Base.weight!);
                yield return ($"{p}self_attn.{name}.bias", projection.Base.bias!);
            }
            yield return (p + "self_attn.o_proj.weight", block.Attention.OProj.Base.weight!);
            yield return (p + "mlp.gate_proj.weight", block.Mlp.GateProj.Base.weight!);
            yield return (p + "mlp.up_proj.weight", block.Mlp.UpProj.Base.weight!);
            yield return (p + "mlp.down_proj.weight", block.Mlp.DownProj.Base.weight!);
        }
    }

    public void Dispose()
    {
        foreach (var w in Weights.Values) w.Dispose();
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}
