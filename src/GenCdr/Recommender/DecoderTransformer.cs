using GenCdr.Tokenization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// The backbone (spec §5): a decoder-only transformer of the Qwen2 family — token embedding, blocks of
/// grouped-query attention with rotary positions and SwiGLU MLPs (pre-RMSNorm), final RMSNorm, LM head
/// (tied to the embedding or not) — over the SID vocabulary, with LoRA paths in every projection.
/// </summary>
public sealed class DecoderTransformer : nn.Module<Tensor, Tensor>
{
    readonly Embedding embed_tokens;
    /// <summary>With <see cref="RecommenderConfig.PromptItemText"/>: the checkpoint's own token embedding, frozen, for the
    /// item text in the prompt (model tokens ≥ <see cref="VocabularySize"/>).</summary>
    readonly Embedding? text_embed_tokens;
    readonly ModuleList<DecoderBlock> layers;
    readonly RmsNorm norm;
    readonly Linear? lm_head;
    readonly RotaryEmbedding rotary;

    public RecommenderConfig Config { get; }
    public int VocabularySize { get; }
    public int DomainCount { get; }
    public int LayerCount => layers.Count;

    public DecoderTransformer(RecommenderConfig config, int vocabularySize, int domainCount) : base(nameof(DecoderTransformer))
    {
        config.Validate();
        Config = config;
        VocabularySize = vocabularySize;
        DomainCount = domainCount;
        // The SID vocabulary. A pretrained LLM (Qwen2CheckpointLoader) brings its blocks and final norm; its own
        // vocabulary's rows are read only when the prompt carries item text, and only SID tokens are ever generated.
        embed_tokens = nn.Embedding(vocabularySize, config.DModel);
        using (no_grad()) embed_tokens.weight!.normal_(0, 0.02);
        if (config.TextVocabularySize > 0) text_embed_tokens = nn.Embedding(config.TextVocabularySize, config.DModel);
        layers = new ModuleList<DecoderBlock>();
        for (int l = 0; l < config.Layers; l++) layers.Add(new DecoderBlock(config, domainCount));
        norm = new RmsNorm(config.DModel, config.NormEps);
        lm_head = config.TieEmbeddings ? null : nn.Linear(config.DModel, vocabularySize, hasBias: false);
        rotary = new RotaryEmbedding(config.DModel / config.Heads, config.RopeTheta);
        RegisterComponents();
    }

    public IEnumerable<DecoderBlock> Blocks => layers;

    /// <summary>Backbone-only logits of unpadded sequences [B, T] → [B, T, V].</summary>
    public override Tensor forward(Tensor tokens)
    {
        long b = tokens.shape[0], t = tokens.shape[1];
        var positions = arange(t, dtype: int64, device: tokens.device).unsqueeze(0).expand(b, t);
        return Logits(Hidden(tokens, ones(b, t, dtype: @bool, device: tokens.device), positions, AdapterSelection.BackboneOnly, null));
    }

    /// <summary>
    /// Final (normalised) hidden states [B, T, d] of left-padded tokens. With a cache, the tokens are appended
    /// to it (their positions continue each row's positions; <paramref name="positions"/> is ignored) and
    /// they attend to every cached real token.
    /// </summary>
    public Tensor Hidden(Tensor tokens, Tensor valid, Tensor positions, AdapterSelection selection, KvCache? cache) =>
        HiddenOf(Embed(tokens), valid, positions, selection, cache);

    /// <summary>The token embeddings [..] → [.., d]: SID tokens from the SID rows, text tokens (≥ <see cref="VocabularySize"/>,
    /// <see cref="ItemPromptText"/>) from the checkpoint's own rows.</summary>
    public Tensor Embed(Tensor tokens)
    {
        if (text_embed_tokens is null) return embed_tokens.forward(tokens);
        var isText = tokens.ge(VocabularySize);
        var sid = embed_tokens.forward(tokens.masked_fill(isText, 0));
        var text = text_embed_tokens.forward((tokens - VocabularySize).clamp_min(0));
        return where(isText.unsqueeze(-1), text, sid);
    }

    /// <summary><see cref="Hidden"/> of input vectors [B, T, d] instead of tokens: the item layout feeds one vector
    /// per item (<see cref="GenerativeRecommender.ItemInputs"/>).</summary>
    /// <param name="expertWeights">called with (layer, the MoE gate's weights [B, T, K]) when the universal experts run</param>
    public Tensor HiddenOf(Tensor inputs, Tensor valid, Tensor positions, AdapterSelection selection, KvCache? cache,
        Action<int, Tensor>? expertWeights = null)
    {
        long t = inputs.shape[1];
        Tensor allValid = valid;
        if (cache is { Length: > 0 })
        {
            positions = cache.NextPosition!.unsqueeze(1) + arange(t, dtype: int64, device: inputs.device).unsqueeze(0);
            allValid = cat([cache.Valid!, valid], 1);
        }
        long past = allValid.shape[1] - t;
        var mask = AttentionMask(allValid, past);
        var (cos, sin) = rotary.Tables(positions);
        var x = inputs;
        int l = 0;
        foreach (var block in layers)
        {
            int layer = l++;
            x = block.Forward(x, cos, sin, mask, selection, cache, layer, expertWeights is null ? null : w => expertWeights(layer, w));
        }
        // the cache owns what it stores; the caller's `valid` may be disposed with its batch
        cache?.SetMask(ReferenceEquals(allValid, valid) ? valid.clone() : allValid, positions[.., -1] + 1);
        return norm.forward(x);
    }

    /// <summary>Logits over the SID vocabulary [.., V].</summary>
    public Tensor Logits(Tensor hidden) => hidden.matmul((lm_head?.weight ?? embed_tokens.weight!).t());

    /// <summary>The SID token embedding.</summary>
    public Embedding Embeddings => embed_tokens;
    /// <summary>The checkpoint's text token embedding (null unless the prompt carries item text).</summary>
    public Embedding? TextEmbeddings => text_embed_tokens;
    /// <summary>The untied LM head, or null when tied to <see cref="Embeddings"/>.</summary>
    public Linear? LmHead => lm_head;
    public RmsNorm FinalNorm => norm;

    /// <summary>bool [B, 1, T, S]: query i (column past + i) sees real keys at columns ≤ its own, and always
    /// itself, so that a padded query row never has an empty (NaN) softmax.</summary>
    static Tensor AttentionMask(Tensor allValid, long past)
    {
        long s = allValid.shape[1], t = s - past;
        var rows = (arange(t, dtype: int64, device: allValid.device) + past).unsqueeze(1);
        var cols = arange(s, dtype: int64, device: allValid.device).unsqueeze(0);
        var causal = cols.le(rows).unsqueeze(0);                 // [1, T, S]
        var self = cols.eq(rows).unsqueeze(0);
        return causal.logical_and(allValid.unsqueeze(1)).logical_or(self).unsqueeze(1);
    }

    /// <summary>The SID token rows of the embedding and of an untied LM head: with a pretrained LLM the only new
    /// full-rank parameters of the transformer (trained with the first LoRA stage, <see cref="StagePlan.TrainsNewTokens"/>).</summary>
    public IEnumerable<Parameter> TokenParameters() => embed_tokens.parameters().Concat(lm_head?.parameters() ?? []);

    /// <summary>The transformer's own weights (norms, base projections, the text token embedding if any): what a pretrained
    /// checkpoint provides and what stays frozen with it.</summary>
    public IEnumerable<Parameter> TransformerParameters()
    {
        var tokens = new HashSet<Parameter>(TokenParameters(), ReferenceEqualityComparer.Instance);
        return BackboneParameters().Where(p => !tokens.Contains(p));
    }

    /// <summary>Parameters of the backbone itself (embeddings, norms, base projections): trained in stage 0 only.</summary>
    public IEnumerable<Parameter> BackboneParameters()
    {
        var adapter = new HashSet<Parameter>(AllUniversalParameters().Concat(
            Enumerable.Range(0, DomainCount).SelectMany(DomainParameters)).Concat(layers.SelectMany(b => b.GateParametersAll())),
            ReferenceEqualityComparer.Instance);
        return parameters().Where(p => !adapter.Contains(p));
    }

    /// <summary>The universal experts and their MoE gates (paper §2a).</summary>
    public IEnumerable<Parameter> UniversalParameters() =>
        AllUniversalParameters().Concat(layers.SelectMany(b => b.GateParameters()));

    IEnumerable<Parameter> AllUniversalParameters() => layers.SelectMany(b => b.Projections).SelectMany(p => p.UniversalParameters());

    /// <summary>Domain d's adapters in every projection (paper §2b).</summary>
    public IEnumerable<Parameter> DomainParameters(int domain) =>
        layers.SelectMany(b => b.Projections).SelectMany(p => p.DomainParameters(domain));
}
