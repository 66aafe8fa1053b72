using TorchSharp;
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
        RegisterComponents();
    }

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
