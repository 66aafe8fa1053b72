using System.Text.Json;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// Loads a Hugging Face Qwen2-family checkpoint (config.json + model.safetensors, or a sharded
/// model.safetensors.index.json) into the same modules the project trains from scratch (spec §5), with the
/// SID tokens appended after the LLM's own vocabulary: their embedding rows (and LM-head rows when untied) keep
/// their fresh initialisation and are learnt in training. LoRA adapters and the router are not in the
/// checkpoint and keep their identity initialisation.
/// </summary>
public static class Qwen2CheckpointLoader
{
    /// <summary>The recommender config implied by a checkpoint's config.json; other settings come from <paramref name="baseConfig"/>.</summary>
    public static RecommenderConfig ReadConfig(string folder, RecommenderConfig baseConfig)
    {
        var path = Path.Combine(folder, "config.json");
        if (!File.Exists(path)) throw new GenCdrException($"{path}: not found (a Qwen2 checkpoint folder needs config.json)");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        int Int(string name) => root.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) ? i
            : throw GenCdrException.AtLine(path, 1, $"missing integer field \"{name}\"");
        double Real(string name, double fallback) => root.TryGetProperty(name, out var v) && v.TryGetDouble(out var d) ? d : fallback;
        bool tied = root.TryGetProperty("tie_word_embeddings", out var t) && t.ValueKind == JsonValueKind.True;
        int heads = Int("num_attention_heads");
        return baseConfig with
        {
            DModel = Int("hidden_size"),
            Layers = Int("num_hidden_layers"),
            Heads = heads,
            KvHeads = root.TryGetProperty("num_key_value_heads", out var kv) && kv.TryGetInt32(out var k) ? k : heads,
            FfnDim = Int("intermediate_size"),
            RopeTheta = Real("rope_theta", 10_000),
            NormEps = Real("rms_norm_eps", 1e-6),
            TieEmbeddings = tied,
            AttentionBias = true, // Qwen2 has biases on q/k/v
            PretrainedVocabularySize = Int("vocab_size"),
        };
    }

    /// <summary>A recommender with the checkpoint's weights in its backbone.</summary>
    public static GenerativeRecommender Load(string folder, SidVocabulary vocabulary, RecommenderConfig baseConfig)
    {
        var model = new GenerativeRecommender(ReadConfig(folder, baseConfig), vocabulary);
        var weights = ReadWeights(folder);
        try { Assign(model.Backbone, weights, folder); }
        finally { foreach (var w in weights.Values) w.Dispose(); }
        return model;
    }

    static Dictionary<string, Tensor> ReadWeights(string folder)
    {
        var single = Path.Combine(folder, "model.safetensors");
        if (File.Exists(single)) return Safetensors.LoadStateDict(single);
        var index = Path.Combine(folder, "model.safetensors.index.json");
        if (!File.Exists(index)) throw new GenCdrException($"{folder}: neither model.safetensors nor model.safetensors.index.json found");
        using var json = JsonDocument.Parse(File.ReadAllText(index));
        if (!json.RootElement.TryGetProperty("weight_map", out var map))
            throw GenCdrException.AtLine(index, 1, "missing \"weight_map\"");
        var all = new Dictionary<string, Tensor>();
        foreach (var file in map.EnumerateObject().Select(p => p.Value.GetString()!).Distinct())
            foreach (var (name, tensor) in Safetensors.LoadStateDict(Path.Combine(folder, file)))
                all[name] = tensor;
        return all;
    }

    static void Assign(DecoderTransformer net, Dictionary<string, Tensor> weights, string folder)
    {
        using var _ = no_grad();
        void Copy(string name, Tensor target, long rows = -1)
        {
            if (!weights.TryGetValue(name, out var source)) throw new GenCdrException($"{folder}: tensor \"{name}\" missing from the checkpoint");
            var destination = rows < 0 ? target : target.narrow(0, 0, rows);
            if (!source.shape.SequenceEqual(destination.shape))
                throw new GenCdrException($"{folder}: tensor \"{name}\" has shape [{string.Join(",", source.shape)}], expected [{string.Join(",", destination.shape)}]");
            destination.copy_(source.to_type(destination.dtype));
        }
        long vocab = net.TokenOffset;
        Copy("model.embed_tokens.weight", net.Embeddings.weight!, vocab);
        if (net.LmHead is { } head) Copy("lm_head.weight", head.weight!, vocab);
        Copy("model.norm.weight", net.FinalNorm.Weight);
        int i = 0;
        foreach (var block in net.Blocks)
        {
            var prefix = $"model.layers.{i++}.";
            Copy(prefix + "input_layernorm.weight", block.InputNorm.Weight);
            Copy(prefix + "post_attention_layernorm.weight", block.PostAttentionNorm.Weight);
            foreach (var (name, projection) in new[] { ("q_proj", block.Attention.QProj), ("k_proj", block.Attention.KProj), ("v_proj", block.Attention.VProj) })
            {
                Copy($"{prefix}self_attn.{name}.weight", projection.Base.weight!);
                Copy($"{prefix}self_attn.{name}.bias", projection.Base.bias!);
            }
            Copy(prefix + "self_attn.o_proj.weight", block.Attention.OProj.Base.weight!);
            Copy(prefix + "mlp.gate_proj.weight", block.Mlp.GateProj.Base.weight!);
            Copy(prefix + "mlp.up_proj.weight", block.Mlp.UpProj.Base.weight!);
            Copy(prefix + "mlp.down_proj.weight", block.Mlp.DownProj.Base.weight!);
        }
    }
}
