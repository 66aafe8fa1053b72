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
    readonly UserRouter router;
    /// <summary>Item layout only: the embedding of the domain of the item a position predicts (row D: none follows).</summary>
    readonly Embedding? next_domain;
    /// <summary>Item layout: dropout on the input vectors, as SASRec's on its item embeddings (an item is one
    /// position here, so without it the model memorises histories: built-in validation R@10 peaked at epoch 5 of 20).</summary>
    readonly Dropout input_dropout;

    public RecommenderConfig Config { get; }
    public SidVocabulary Vocabulary { get; }
    public DecoderTransformer Backbone => backbone;
    public UserRouter Router => router;

    public GenerativeRecommender(RecommenderConfig config, SidVocabulary vocabulary) : base(nameof(GenerativeRecommender))
    {
        Config = config;
        Vocabulary = vocabulary;
        random.manual_seed(config.Seed);
        backbone = new DecoderTransformer(config, vocabulary.Size, vocabulary.DomainCount);
        router = new UserRouter(config.DModel, config.UserRouterHidden, config.Seed);
        input_dropout = nn.Dropout(config.Dropout);
        if (config.Layout == SequenceLayout.Item)
        {
            next_domain = nn.Embedding(vocabulary.DomainCount + 1, config.DModel);
            using (no_grad()) next_domain.weight!.normal_(0, 0.02);
        }
        RegisterComponents();
    }

    /// <summary>What stage 0 trains: the backbone itself and, in the item layout, the next-domain embedding.</summary>
    public IEnumerable<Parameter> BackboneParameters() =>
        next_domain is null ? backbone.BackboneParameters() : backbone.BackboneParameters().Concat(next_domain.parameters());

    /// <summary>Item layout: the input vector of every position [B, T, d] — the sum of its item's code-token
    /// embeddings and its domain token's embedding (BOS at position 0), plus the embedding of the domain it predicts.
    /// The code embeddings are the ones the item vectors are made of (<see cref="ItemVectors"/>), as a tied LM head.</summary>
    public Tensor ItemInputs(ItemBatch batch)
    {
        var nextDomain = next_domain ?? throw new InvalidOperationException("the item inputs need the item layout");
        return input_dropout.forward(
            backbone.Embed(batch.CodeTokens).sum(2) + backbone.Embed(batch.DomainTokens) + nextDomain.forward(batch.NextDomain));
    }

    /// <summary>Item layout: final hidden states [B, T, d] of a batch under the selected adapters.</summary>
    public Tensor ItemHidden(ItemBatch batch, AdapterSelection selection) =>
        backbone.HiddenOf(ItemInputs(batch), batch.Valid, batch.Positions, selection, null);

    /// <summary>The output vector of each item, Σ_k e(c_k): code tokens [N, L] → [N, d].</summary>
    public Tensor ItemVectors(Tensor codeTokens) => backbone.Embed(codeTokens).sum(1);

    /// <summary>log P(i | h, d) over all items of domain d: hidden [N, d] × item code tokens [N_d, L] → [N, N_d]
    /// (a softmax over the domain's valid items only: the prefix tree's constraint, exactly).</summary>
    public Tensor ItemLogProbs(Tensor hidden, Tensor codeTokens) =>
        nn.functional.log_softmax(hidden.matmul(ItemVectors(codeTokens).t()), -1);

    /// <summary>Writes the weights atomically (temp file in the same folder, then move).</summary>
    public void SaveTo(string path)
    {
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp";
        save(temp);
        File.Move(temp, full, overwrite: true);
    }

    public void LoadFrom(string path)
    {
        if (!File.Exists(path)) throw new GenCdrException($"{path}: recommender weights not found");
        try { load(path); }
        catch (ArgumentException e) { throw new GenCdrException($"{path}: weights do not match this model's configuration ({e.Message})", e); }
    }
}
