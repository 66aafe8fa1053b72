using GenCdr.Tokenization;
using GenCdr.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// The GenCDR recommender as one module (paper §2): the backbone with its universal experts and domain
/// adapters, and the user router. Save/Load store all weights (TorchSharp format); the config and
/// vocabulary shape must be the same when loading.
/// </summary>
public sealed class GenerativeRecommender : nn.Module
{
    readonly DecoderTransformer backbone;
    /// <summary>One user router per target domain (paper §2c; <see cref="UserRouter"/> says why not one).</summary>
    readonly ModuleList<UserRouter> routers;
    /// <summary>Item layout only: the embedding of the domain of the item a position predicts (row D: none follows).</summary>
    readonly Embedding? next_domain;
    /// <summary>Item layout with <see cref="RecommenderConfig.ItemIdRows"/> &gt; 0: each item's own vector.</summary>
    readonly ItemIdTable? item_ids;
    /// <summary>Item layout: dropout on the input vectors, as SASRec's on its item embeddings (an item is one
    /// position here, so without it the model memorises histories: built-in validation R@10 peaked at epoch 5 of 20).</summary>
    readonly Dropout input_dropout;

    public RecommenderConfig Config { get; }
    public SidVocabulary Vocabulary { get; }
    public DecoderTransformer Backbone => backbone;
    /// <summary>The user router of target domain <paramref name="domain"/>.</summary>
    public UserRouter Router(int domain) => routers[domain];
    /// <summary>The item-ID table (null without <see cref="RecommenderConfig.ItemIdRows"/>).</summary>
    public ItemIdTable? ItemIds => item_ids;
    /// <summary>Where the model's parameters are: its batches and every tensor it makes go there.</summary>
    public Device Device => Devices.Of(this);

    public GenerativeRecommender(RecommenderConfig config, SidVocabulary vocabulary) : base(nameof(GenerativeRecommender))
    {
        Config = config;
        Vocabulary = vocabulary;
        random.manual_seed(config.Seed);
        backbone = new DecoderTransformer(config, vocabulary.Size, vocabulary.DomainCount);
        input_dropout = nn.Dropout(config.Dropout);
        if (config.Layout == SequenceLayout.Item)
        {
            next_domain = nn.Embedding(vocabulary.DomainCount + 1, config.DModel);
            using (no_grad()) next_domain.weight!.normal_(0, 0.02);
            if (config.ItemIdRows > 0) item_ids = new ItemIdTable(config.ItemIdRows, vocabulary.DomainCount, config.DModel);
        }
        // The routers last: TorchSharp's nn.Linear draws its default initialisation from the global generator before
        // SeededInit overwrites it, so a router built earlier, of another size, shifted every later draw and two
        // runs that differ only in the router's size trained different backbones (docs/routers.md). Each domain's
        // router from its own seed, so that no two start alike.
        routers = new ModuleList<UserRouter>(Enumerable.Range(0, vocabulary.DomainCount)
            .Select(d => new UserRouter(config.DModel, config.UserRouterHidden, config.Seed + 101 * (d + 1))).ToArray());
        RegisterComponents();
    }

    /// <summary>A model as its configuration describes it: with <see cref="RecommenderConfig.PretrainedBackbone"/>, the
    /// checkpoint's weights in its transformer and the new token rows on their scale (<see cref="Qwen2CheckpointLoader"/>).
    /// Every place that builds a model to train or load weights into uses this, so none can miss the checkpoint.</summary>
    public static GenerativeRecommender Create(RecommenderConfig config, SidVocabulary vocabulary)
    {
        var model = new GenerativeRecommender(config, vocabulary);
        if (config.PretrainedBackbone is null) return model;
        try { Qwen2CheckpointLoader.LoadInto(model); }
        catch { model.Dispose(); throw; }
        return model;
    }

    /// <summary>What a pretrained backbone adds that is not in its checkpoint and not a LoRA path or a router: the SID
    /// token rows and, in the item layout, the next-domain and item-ID embeddings (trained with the first LoRA stage,
    /// <see cref="StagePlan.TrainsNewTokens"/>).</summary>
    public IEnumerable<Parameter> NewTokenParameters() => backbone.TokenParameters()
        .Concat(next_domain?.parameters() ?? []).Concat(item_ids is null ? [] : [item_ids.Weight]);

    /// <summary>The state-dict names of the checkpoint's weights when the model has a pretrained backbone (none
    /// otherwise): weight files skip them, since they never change and the checkpoint holds them.</summary>
    public IList<string> PretrainedWeightNames()
    {
        if (Config.PretrainedBackbone is null) return [];
        var frozen = new HashSet<Parameter>(backbone.TransformerParameters(), ReferenceEqualityComparer.Instance);
        return named_parameters().Where(p => frozen.Contains(p.parameter)).Select(p => p.name).ToList();
    }

    /// <summary>What stage 0 trains: the backbone itself and, in the item layout, the next-domain and item-ID embeddings.</summary>
    public IEnumerable<Parameter> BackboneParameters() => backbone.BackboneParameters()
        .Concat(next_domain?.parameters() ?? []).Concat(item_ids is null ? [] : [item_ids.Weight]);

    /// <summary>Item layout: the input vector of every position [B, T, d] — the sum of its item's code-token
    /// embeddings and its domain token's embedding (BOS at position 0), plus the embedding of the domain it predicts.
    /// The code embeddings are the ones the item vectors are made of (<see cref="ItemVectors"/>), as a tied LM head.</summary>
    public Tensor ItemInputs(ItemBatch batch)
    {
        var nextDomain = next_domain ?? throw new InvalidOperationException("the item inputs need the item layout");
        var x = backbone.Embed(batch.CodeTokens).sum(2) + backbone.Embed(batch.DomainTokens) + nextDomain.forward(batch.NextDomain);
        if (item_ids is not null) x = x + item_ids.Lookup(batch.ItemDomains, batch.Items);
        return input_dropout.forward(x);
    }

    /// <summary>Item layout, the mixture's two passes (paper §2c): hidden states of the universal pass over
    /// <paramref name="batch"/> and of the pass with domain <paramref name="domain"/>'s adapter over
    /// <paramref name="domainBatch"/> (<see cref="StagePlan.DomainPassInput"/>: the same batch, or its in-domain items).
    /// On one batch the two run stacked along it in one forward, sharing the input dropout. Training (stage 4b) and
    /// decoding both call this or <see cref="StackedMixtureHidden"/>, so the two cannot run different passes.</summary>
    public (Tensor Universal, Tensor Domain) ItemMixtureHidden(ItemBatch batch, ItemBatch domainBatch, int domain)
    {
        if (ReferenceEquals(batch, domainBatch))
            return MixtureHidden(ItemInputs(batch).repeat(2, 1, 1), batch.Valid.repeat(2, 1), batch.Positions.repeat(2, 1), batch.Count, domain);
        var domains = full(batch.Count, (long)domain, dtype: ScalarType.Int64, device: batch.Valid.device);
        return (ItemHidden(batch, StagePlan.Adapters(Config, ScoringPasses.Universal, () => domains)),
            ItemHidden(domainBatch, StagePlan.Adapters(Config, ScoringPasses.Domain, () => domains)));
    }

    /// <summary>The same two passes when their inputs differ, in one forward: <paramref name="stacked"/> holds the universal
    /// pass's sequences in its first half and the domain pass's in its second (one <see cref="ItemBatch"/> over both
    /// lists, so both are left-padded to one width and each ends in the last column). Decoding uses it; training keeps
    /// <see cref="ItemMixtureHidden"/>, whose separate passes draw the input dropout separately.</summary>
    public (Tensor Universal, Tensor Domain) StackedMixtureHidden(ItemBatch stacked, int domain)
    {
        if (stacked.Count % 2 != 0) throw new ArgumentException("a stacked mixture batch has two halves of equal size", nameof(stacked));
        return MixtureHidden(ItemInputs(stacked), stacked.Valid, stacked.Positions, stacked.Count / 2, domain);
    }

    (Tensor Universal, Tensor Domain) MixtureHidden(Tensor inputs, Tensor valid, Tensor positions, int rows, int domain)
    {
        var domains = full(rows, (long)domain, dtype: ScalarType.Int64, device: inputs.device);
        var hidden = backbone.HiddenOf(inputs, valid, positions, StagePlan.MixtureAdapters(Config, domains), null);
        return (hidden[..rows], hidden[rows..]);
    }

    /// <summary>w per row [N] from each row's target domain's router: user states [N, 2d] (<see cref="UserRouter.State"/>)
    /// and target domains [N]. Every router runs on every row (they are tiny) and each row keeps its own domain's.</summary>
    public Tensor UserWeight(Tensor userState, Tensor domains)
    {
        var w = zeros(domains.shape[0], dtype: userState.dtype, device: userState.device);
        for (int d = 0; d < routers.Count; d++) w = where(domains.eq(d), routers[d].forward(userState), w);
        return w;
    }

    /// <summary>Item layout: final hidden states [B, T, d] of a batch under the selected adapters.</summary>
    /// <param name="expertWeights">called with (layer, the MoE gate's weights [B, T, K]) when the universal experts run</param>
    public Tensor ItemHidden(ItemBatch batch, AdapterSelection selection, Action<int, Tensor>? expertWeights = null) =>
        backbone.HiddenOf(ItemInputs(batch), batch.Valid, batch.Positions, selection, null, expertWeights);

    /// <summary>The output vector of items of <paramref name="domain"/>, Σ_k e(c_k) (+ the item's ID vector): their code
    /// tokens [N, L] and indices in the domain [N] → [N, d].</summary>
    public Tensor ItemVectors(Tensor codeTokens, int domain, Tensor items)
    {
        var v = backbone.Embed(codeTokens).sum(1);
        return item_ids is null ? v : v + item_ids.Lookup(full_like(items, domain), items);
    }

    /// <summary>The output vectors of every item of <paramref name="domain"/> in <paramref name="table"/>: [N_d, d].</summary>
    public Tensor ItemVectors(ItemCodeTable table, int domain)
    {
        var device = Device;
        return ItemVectors(table.Tokens(domain, device), domain, arange(table.ItemCount(domain), dtype: ScalarType.Int64, device: device));
    }

    /// <summary>Writes the weights atomically (<see cref="AtomicFile"/>); a pretrained backbone's frozen weights are left
    /// to its checkpoint (<see cref="PretrainedWeightNames"/>), so a 7B model's epoch checkpoint is its adapters' size.</summary>
    public void SaveTo(string path) => AtomicFile.Write(path, (string temp) => save(temp, skip: PretrainedWeightNames()));

    /// <summary>Reads what <see cref="SaveTo"/> wrote; a pretrained backbone's weights are those <see cref="Create"/> loaded.</summary>
    public void LoadFrom(string path)
    {
        if (!File.Exists(path)) throw new GenCdrException($"{path}: recommender weights not found");
        var skip = PretrainedWeightNames();
        // TorchSharp's strict load counts the skipped names as missing, so load leniently and check completeness here:
        // every weight that is not the checkpoint's must come from the file.
        var loaded = new Dictionary<string, bool>();
        try { load(path, strict: skip.Count == 0, skip: skip, loadedParameters: loaded); }
        catch (ArgumentException e) { throw new GenCdrException($"{path}: weights do not match this model's configuration ({e.Message})", e); }
        var missing = state_dict().Keys.Where(name => !skip.Contains(name) && !(loaded.TryGetValue(name, out var ok) && ok)).ToList();
        if (missing.Count > 0) throw new GenCdrException($"{path}: weights do not match this model's configuration (missing {string.Join(", ", missing.Take(3))}{(missing.Count > 3 ? ", …" : "")})");
    }
}
