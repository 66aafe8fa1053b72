using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GenCdr.Serving;
using GenCdr.Text;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// The paper's setting (spec §2, §5): a Hugging Face Qwen2-family checkpoint (config.json + model.safetensors, or a
/// sharded model.safetensors.index.json) as the frozen backbone of the same modules the project otherwise trains from
/// scratch. The checkpoint gives the blocks (norms, q/k/v/o and SwiGLU projections) and the final norm; the SID and
/// domain tokens are new rows (their embedding, and the LM head's rows when the checkpoint is untied), initialised from
/// the statistics of the LLM's own embedding so that they start on its scale, and trained with the first LoRA stage
/// (<see cref="StagePlan.TrainsNewTokens"/>). The LLM's own vocabulary is loaded only when the prompt carries item text
/// (<see cref="RecommenderConfig.PromptItemText"/>: its embedding rows, frozen, and its tokenizer.json); otherwise the prompt
/// is SID tokens only and its rows would never be read (for Qwen2.5-7B they are 0.5 B parameters). Only SID tokens are generated.
/// LoRA adapters and the routers are not in the checkpoint and keep their identity initialisation.
/// </summary>
public static class Qwen2CheckpointLoader
{
    public const string ConfigFile = "config.json";
    const string SingleFile = "model.safetensors", IndexFile = "model.safetensors.index.json";

    /// <summary><paramref name="baseConfig"/> with the shape of the checkpoint in <paramref name="folder"/> (hidden size,
    /// layers, heads, FFN, rotary base, norm ε, tied head) and the checkpoint itself recorded by full path and SHA-256
    /// (<see cref="RecommenderConfig.PretrainedBackbone"/>, <see cref="RecommenderConfig.PretrainedBackboneSha256"/>).</summary>
    /// With <see cref="RecommenderConfig.PromptItemText"/> its tokenizer.json is opened here, so that a missing or unreadable
    /// one is reported before any work starts, and is part of the checksum.
    public static RecommenderConfig ReadConfig(string folder, RecommenderConfig baseConfig)
    {
        folder = Path.GetFullPath(folder);
        var config = ReadShape(folder, baseConfig);
        if (config.PromptItemText) CheckpointTokenizer.Open(folder).Dispose();
        return config with { PretrainedBackbone = folder, PretrainedBackboneSha256 = Checksum(folder, config.PromptItemText) };
    }

    static RecommenderConfig ReadShape(string folder, RecommenderConfig baseConfig)
    {
        var path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path)) throw new GenCdrException($"{path}: not found (a Qwen2 checkpoint folder needs config.json)");
        using var json = ParseJson(path);
        var root = json.RootElement;
        int Int(string name) => root.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) ? i
            : throw GenCdrException.AtLine(path, 1, $"missing integer field \"{name}\"");
        double Real(string name, double fallback) => root.TryGetProperty(name, out var v) && v.TryGetDouble(out var d) ? d : fallback;
        if (root.TryGetProperty("hidden_act", out var act) && act.GetString() is { } activation && activation != "silu")
            throw GenCdrException.AtLine(path, 1, $"\"hidden_act\" is \"{activation}\"; the Qwen2 family's SwiGLU needs \"silu\"");
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
            TieEmbeddings = root.TryGetProperty("tie_word_embeddings", out var t) && t.ValueKind == JsonValueKind.True,
            AttentionBias = true, // Qwen2 has biases on q/k/v
            TextVocabularySize = baseConfig.PromptItemText ? Int("vocab_size") : 0,
        };
    }

    /// <summary>SHA-256 over config.json and every weight file of the checkpoint (name and content), so that a run or a
    /// bundle can tell that the checkpoint it was trained on has been replaced.</summary>
    /// <param name="withTokenizer">include tokenizer.json (a model whose prompt carries item text depends on it)</param>
    public static string Checksum(string folder, bool withTokenizer = false)
    {
        var lines = new StringBuilder();
        foreach (var file in Files(folder, withTokenizer).Order(StringComparer.Ordinal))
        {
            string path = Path.Combine(folder, file);
            if (!File.Exists(path)) throw new GenCdrException($"{path}: missing from the checkpoint");
            lines.Append(file).Append(' ').Append(BundleChecksums.Of(path)).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
    }

    /// <summary>The files of the checkpoint: config.json, the safetensors file(s) and the shard index (relative names), and
    /// tokenizer.json when <paramref name="withTokenizer"/>.</summary>
    public static IReadOnlyList<string> Files(string folder, bool withTokenizer = false) =>
        WeightFiles(folder).Prepend(ConfigFile).Concat(withTokenizer ? [CheckpointTokenizer.File] : []).Distinct().ToList();

    /// <summary>Copies the checkpoint named by <paramref name="model"/>'s configuration into its transformer (after checking
    /// its checksum and shape against the configuration) and initialises the new SID token rows on the LLM embedding's
    /// scale. Called once, when the model is built (<see cref="GenerativeRecommender.Create"/>).</summary>
    public static void LoadInto(GenerativeRecommender model)
    {
        var config = model.Config;
        string folder = config.PretrainedBackbone ?? throw new ArgumentException("the configuration names no pretrained backbone", nameof(model));
        if (!Directory.Exists(folder)) throw new GenCdrException($"{folder}: the pretrained backbone folder (Recommender.PretrainedBackbone) does not exist");
        if (config.PretrainedBackboneSha256 is { } expected && Checksum(folder, config.PromptItemText) is var actual && actual != expected)
            throw new GenCdrException($"{folder}: the checkpoint's SHA-256 is {actual[..12]}…, the model was configured with {expected[..Math.Min(12, expected.Length)]}…: it is not the checkpoint the model was trained on");
        var shape = ReadShape(folder, config);
        if (shape != config)
            throw new GenCdrException($"{Path.Combine(folder, ConfigFile)}: the checkpoint's shape (hidden {shape.DModel}, {shape.Layers} layers, {shape.Heads}/{shape.KvHeads} heads, FFN {shape.FfnDim}, tied {shape.TieEmbeddings}) differs from the configuration's (hidden {config.DModel}, {config.Layers} layers, {config.Heads}/{config.KvHeads} heads, FFN {config.FfnDim}, tied {config.TieEmbeddings})");
        var weights = ReadWeights(folder);
        try { Assign(model.Backbone, weights, folder); }
        finally { foreach (var w in weights.Values) w.Dispose(); }
    }

    /// <summary>A recommender on the checkpoint in <paramref name="folder"/>, with the rest of the settings from <paramref name="baseConfig"/>.</summary>
    public static GenerativeRecommender Load(string folder, SidVocabulary vocabulary, RecommenderConfig baseConfig) =>
        GenerativeRecommender.Create(ReadConfig(folder, baseConfig), vocabulary);

    static JsonDocument ParseJson(string path)
    {
        try { return JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw GenCdrException.AtLine(path, (int)(e.LineNumber ?? 0) + 1, $"not valid JSON ({e.Message})"); }
    }

    static IEnumerable<string> WeightFiles(string folder)
    {
        if (File.Exists(Path.Combine(folder, SingleFile))) return [SingleFile];
        var index = Path.Combine(folder, IndexFile);
        if (!File.Exists(index)) throw new GenCdrException($"{folder}: neither {SingleFile} nor {IndexFile} found");
        using var json = ParseJson(index);
        if (!json.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            throw GenCdrException.AtLine(index, 1, "missing \"weight_map\"");
        return map.EnumerateObject().Select(p => p.Value.GetString()!).Distinct().Prepend(IndexFile).ToList();
    }

    static Dictionary<string, Tensor> ReadWeights(string folder)
    {
        var all = new Dictionary<string, Tensor>();
        foreach (var file in WeightFiles(folder).Where(f => f != IndexFile))
            foreach (var (name, tensor) in Safetensors.LoadStateDict(Path.Combine(folder, file)))
                all[name] = tensor;
        return all;
    }

    static void Assign(DecoderTransformer net, Dictionary<string, Tensor> weights, string folder)
    {
        using var _ = no_grad();
        Tensor Source(string name) => weights.TryGetValue(name, out var source) ? source
            : throw new GenCdrException($"{folder}: tensor \"{name}\" missing from the checkpoint");
        void Copy(string name, Tensor target)
        {
            var source = Source(name);
            if (!source.shape.SequenceEqual(target.shape))
                throw new GenCdrException($"{folder}: tensor \"{name}\" has shape [{string.Join(",", source.shape)}], expected [{string.Join(",", target.shape)}]");
            target.copy_(source.to_type(target.dtype));
        }
        // the new rows start as draws from the LLM's rows' mean and spread per dimension (as resizing a Hugging Face
        // model's embeddings does), so the first LoRA stage starts from inputs on the scale the blocks were trained on
        void NewRows(string name, Tensor rows)
        {
            var pretrained = Source(name).to_type(float32);
            if (pretrained.dim() != 2 || pretrained.shape[1] != rows.shape[1])
                throw new GenCdrException($"{folder}: tensor \"{name}\" has shape [{string.Join(",", pretrained.shape)}], expected [vocabulary, {rows.shape[1]}]");
            var g = new Generator((ulong)net.Config.Seed + 13);
            rows.copy_((pretrained.mean([0L]) + randn(rows.shape, generator: g) * pretrained.std([0L])).to_type(rows.dtype));
        }
        NewRows("model.embed_tokens.weight", net.Embeddings.weight!);
        if (net.TextEmbeddings is { } text) Copy("model.embed_tokens.weight", text.weight!);
        if (net.LmHead is { } head) NewRows("lm_head.weight", head.weight!);
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
        if (weights.Keys.FirstOrDefault(n => n.StartsWith($"model.layers.{i}.", StringComparison.Ordinal)) is { } extra)
            throw new GenCdrException($"{folder}: tensor \"{extra}\" belongs to a layer beyond the {i} of config.json");
    }
}
