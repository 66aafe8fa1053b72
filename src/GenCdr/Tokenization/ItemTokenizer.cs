using System.Text.Json;
using GenCdr.Data;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>The trained domain-adaptive tokenizer (paper §1): the universal RQ-VAE, one LoRA adapter per domain on
/// its encoder and one item router per domain. Maps item embeddings to code tuples (c_1..c_M).
/// <para>Routers: the paper writes one R_θ, but trains stage 2 per domain. Training one shared router domain after
/// domain would leave it tuned to whichever domain came last, so each domain gets its own router (fed x, like the
/// paper's), trained together with that domain's adapter; the domain is always known when an item is encoded.</para>
/// <para>Weights are saved as safetensors (TorchSharp.PyBridge) rather than TorchSharp's own format: tensors are
/// stored by name, so a mismatch is reported by name, and the file opens in Python (safetensors/PyTorch) for
/// inspection — the same format as the Qwen2 checkpoints the project can load.</para></summary>
public sealed class ItemTokenizer : nn.Module
{
    public const string ConfigFileName = "tokenizer-config.json";
    public const string WeightsFileName = "tokenizer.safetensors";
    private const int InferenceBatch = 4096;

    private readonly RqVae rqVae;
    private readonly ModuleDict<ItemRouter> routers = new();

    public ItemTokenizer(TokenizerConfig config, IReadOnlyList<string> domains) : base(nameof(ItemTokenizer))
    {
        config.Validate();
        if (domains.Distinct().Count() != domains.Count) throw new GenCdrException("tokenizer: domain names must be distinct");
        Config = config;
        Domains = domains.ToArray();
        var generator = new Generator((ulong)config.Seed);
        rqVae = new RqVae(config, generator);
        if (config.UseItemAdapters)
        {
            foreach (var domain in Domains)
            {
                rqVae.Encoder.AddAdapter(domain, config.LoraRank, config.LoraAlpha);
                routers.Add(domain, new ItemRouter(config.InputDim, config.RouterHidden, generator));
            }
        }
        RegisterComponents();
    }

    public TokenizerConfig Config { get; }
    public IReadOnlyList<string> Domains { get; }
    public RqVae RqVae => rqVae;
    public bool HasAdapters => Config.UseItemAdapters;
    /// <summary>Where the tokenizer's parameters are: its inputs and every tensor it makes go there.</summary>
    public Device Device => Devices.Of(this);

    public ItemRouter Router(string domain) =>
        routers.TryGetValue(RequireDomain(domain), out var router) ? router! : throw new GenCdrException($"tokenizer: no router for domain '{domain}' (trained without item adapters)");

    /// <summary>z_univ = E(x): the universal encoder without any adapter.</summary>
    public Tensor UniversalLatent(Tensor x)
    {
        rqVae.Encoder.SetActiveAdapter(null);
        return rqVae.Encoder.forward(x);
    }

    /// <summary>z_dom = E_d(x): the encoder with domain d's LoRA adapter active.</summary>
    public Tensor DomainLatent(string domain, Tensor x)
    {
        rqVae.Encoder.SetActiveAdapter(RequireDomain(domain));
        try { return rqVae.Encoder.forward(x); }
        finally { rqVae.Encoder.SetActiveAdapter(null); }
    }

    /// <summary>z_fused = g·E(x) + (1 − g)·E_d(x) with g = σ(R_θ(x)) (paper §1c), the gate g [B, 1] and the router's
    /// KL term. Without adapters (ablation) it is E(x) with g = 1 and KL = 0. E is frozen after stage 1, so E(x)
    /// is computed without a graph.</summary>
    public (Tensor Latent, Tensor Gate, Tensor Kl) FusedLatent(string domain, Tensor x)
    {
        RequireDomain(domain);
        if (!HasAdapters)
        {
            var z = UniversalLatent(x);
            return (z, ones(x.shape[0], 1, device: x.device), zeros(1, device: x.device).squeeze());
        }
        Tensor universal;
        using (no_grad()) universal = UniversalLatent(x);
        var specific = DomainLatent(domain, x);
        var route = routers[domain].forward(x);
        return (route.Gate * universal + (1 - route.Gate) * specific, route.Gate, route.Kl);
    }

    /// <summary>Codes (c_1..c_M) of every embedding, quantising the fused latent with the router's mean (inference).</summary>
    public int[][] Encode(string domain, IReadOnlyList<float[]> embeddings) => EncodeWithGates(domain, embeddings).Codes;

    /// <summary>Codes and router gates g (1 for every item without adapters) of every embedding.</summary>
    public (int[][] Codes, float[] Gates) EncodeWithGates(string domain, IReadOnlyList<float[]> embeddings)
    {
        RequireDomain(domain);
        var codes = new int[embeddings.Count][];
        var gates = new float[embeddings.Count];
        ForEachInferenceBatch(domain, embeddings, (start, count, x) =>
        {
            var (z, gate, _) = FusedLatent(domain, x);
            var batchCodes = rqVae.Quantizer.forward(z).Codes.to(int32).ToHostArray<int>();
            var batchGates = gate.squeeze(1).ToHostArray<float>();
            for (int i = 0; i < count; i++)
            {
                codes[start + i] = batchCodes.AsSpan(i * Config.Levels, Config.Levels).ToArray();
                gates[start + i] = batchGates[i];
            }
        });
        return (codes, gates);
    }

    /// <summary>Mean ||x − D(Q(z))||² over the embeddings, with z the universal latent E(x)
    /// (<paramref name="useAdapter"/> false) or the fused latent of the domain (true).</summary>
    public double ReconstructionLoss(string domain, IReadOnlyList<float[]> embeddings, bool useAdapter)
    {
        RequireDomain(domain);
        if (embeddings.Count == 0) return 0;
        double total = 0;
        ForEachInferenceBatch(domain, embeddings, (_, count, x) =>
        {
            var z = useAdapter && HasAdapters ? FusedLatent(domain, x).Latent : UniversalLatent(x);
            total += rqVae.FromLatent(x, z).ReconLoss.item<float>() * count;
        });
        return total / embeddings.Count;
    }

    /// <summary>||E_d(x) − E(x)||² / ||E(x)||² over the embeddings: how far domain d's adapter moves the latents,
    /// as a share of their energy. The router's gate g weighs E(x) against E_d(x), so it can change the fused latent
    /// (and get a gradient) only in proportion to this shift; with LoRA's B = 0 start it begins at 0.</summary>
    public double AdapterShift(string domain, IReadOnlyList<float[]> embeddings)
    {
        RequireDomain(domain);
        if (!HasAdapters || embeddings.Count == 0) return 0;
        double shift = 0, energy = 0;
        ForEachInferenceBatch(domain, embeddings, (_, _, x) =>
        {
            var universal = UniversalLatent(x);
            shift += (DomainLatent(domain, x) - universal).pow(2).sum().item<float>();
            energy += universal.pow(2).sum().item<float>();
        });
        return shift / Math.Max(energy, 1e-12);
    }

    /// <summary>What the router's gate tracks: Pearson's r between g and how much better domain d's adapted latent
    /// reconstructs the item than the universal one, ||x − D(Q(E(x)))||² − ||x − D(Q(E_d(x)))||² (positive where the
    /// adapter helps). A router that learnt its job (§1c: weigh the universal semantics against the domain's per item)
    /// gives the universal latent less weight where the adapter reconstructs better: r &lt; 0. Null without adapters, or
    /// when g or the advantage does not vary.</summary>
    public double? GateVersusAdapterAdvantage(string domain, IReadOnlyList<float[]> embeddings)
    {
        RequireDomain(domain);
        if (!HasAdapters || embeddings.Count < 2) return null;
        var gates = new double[embeddings.Count];
        var advantage = new double[embeddings.Count];
        ForEachInferenceBatch(domain, embeddings, (start, count, x) =>
        {
            Tensor Error(Tensor z) => (x - rqVae.FromLatent(x, z).Reconstruction).pow(2).sum(-1);
            var a = (Error(UniversalLatent(x)) - Error(DomainLatent(domain, x))).ToHostArray<float>();
            var g = FusedLatent(domain, x).Gate.squeeze(1).ToHostArray<float>();
            for (int i = 0; i < count; i++) (gates[start + i], advantage[start + i]) = (g[i], a[i]);
        });
        double r = GenCdr.Decoding.RouterDiagnostics.Pearson(gates, advantage);
        return double.IsNaN(r) ? null : r;                               // no spread in g or in the advantage
    }

    /// <summary>Runs <paramref name="batch"/> (first index, count, inputs [count, InputDim]) over the embeddings in
    /// batches of <see cref="InferenceBatch"/>, in eval mode without gradients and inside a dispose scope per
    /// batch; the module's training mode is restored afterwards.</summary>
    void ForEachInferenceBatch(string domain, IReadOnlyList<float[]> embeddings, Action<int, int, Tensor> batch)
    {
        bool wasTraining = training;
        var device = Device;
        eval();
        try
        {
            for (int start = 0; start < embeddings.Count; start += InferenceBatch)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                int count = Math.Min(InferenceBatch, embeddings.Count - start);
                batch(start, count, EmbeddingTensors.ToTensor(Slice(embeddings, start, count), Config.InputDim, $"domain '{domain}'", device));
            }
        }
        finally { train(wasTraining); }
    }

    /// <summary>The M codes the trained tokenizer gives a new item of <paramref name="domain"/> (its semantic ID
    /// without the disambiguation code, which <see cref="GenCdr.Training.SemanticIds.FreeSid"/> chooses).</summary>
    public int[] NewItemCodes(string domain, float[] embedding) => Encode(domain, [embedding])[0];

    /// <summary>Writes the config (JSON) and all weights (safetensors) into <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var saved = new SavedTokenizer(Config, Domains.ToArray());
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFileName), JsonSerializer.Serialize(saved, new JsonSerializerOptions { WriteIndented = true }));
        AtomicFile.Write(Path.Combine(directory, WeightsFileName), (string path) => this.save_safetensors(path));
    }

    /// <summary>Reads a tokenizer written by <see cref="Save"/> (on the CPU: move it with <c>to(device)</c>).</summary>
    public static ItemTokenizer Load(string directory)
    {
        string configPath = Path.Combine(directory, ConfigFileName);
        string weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(configPath)) throw new GenCdrException($"{configPath}: tokenizer config not found");
        if (!File.Exists(weightsPath)) throw new GenCdrException($"{weightsPath}: tokenizer weights not found");
        SavedTokenizer saved;
        try
        {
            saved = JsonSerializer.Deserialize<SavedTokenizer>(File.ReadAllText(configPath))
                    ?? throw new GenCdrException($"{configPath}: empty tokenizer config");
        }
        catch (JsonException e)
        {
            throw GenCdrException.AtLine(configPath, (e.LineNumber ?? 0) + 1, $"invalid tokenizer config: {e.Message}");
        }
        var tokenizer = new ItemTokenizer(saved.Config, saved.Domains);
        try { tokenizer.load_safetensors(weightsPath, strict: true); }
        catch (Exception e) when (e is not GenCdrException)
        {
            throw new GenCdrException($"{weightsPath}: weights do not match {configPath}: {e.Message}", e);
        }
        tokenizer.eval();
        return tokenizer;
    }

    private string RequireDomain(string domain) =>
        Domains.Contains(domain) ? domain : throw new GenCdrException($"tokenizer: unknown domain '{domain}' (trained on {string.Join(", ", Domains)})");

    private static IReadOnlyList<float[]> Slice(IReadOnlyList<float[]> rows, int start, int count) =>
        rows is float[][] array ? new ArraySegment<float[]>(array, start, count) : rows.Skip(start).Take(count).ToArray();

    private sealed record SavedTokenizer(TokenizerConfig Config, string[] Domains);
}
