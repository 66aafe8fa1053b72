namespace GenCdr.Serving;

/// <summary>
/// The files of a model bundle (<c>gencdr export --out model.gcdr</c>), a plain folder so that it can be read,
/// diffed and copied with ordinary tools:
/// <code>
/// model.gcdr/
///   bundle.json                 format version, dates, config, domains, counts, SHA-256 of every file below
///   catalog/manifest.json       the item catalog and user histories (PreparedDatasetStore format):
///   catalog/items.tsv             every servable item with its text (added items at the end of their domain)
///   catalog/users.tsv             known users, for GET /v1/users/{id}/recommendations
///   catalog/events.tsv            their histories
///   semantic-ids.tsv            item → SID (c_1 … c_M, disambiguation), one row per catalog item
///   tokenizer/                  the trained item tokenizer (config JSON + safetensors), for new items
///   recommender/recommender.bin the generative recommender's weights (TorchSharp format; with a pretrained backbone
///                               only what training changed)
///   backbone/                   a pretrained Qwen2-family checkpoint the recommender runs on, if it has one and the export
///                               copied it (`--reference-backbone` records its path and SHA-256 in bundle.json instead)
/// </code>
/// </summary>
public static class BundleLayout
{
    public const string ManifestFile = "bundle.json";
    public const string Catalog = "catalog";
    public const string SemanticIds = "semantic-ids.tsv";
    public const string Tokenizer = "tokenizer";
    public const string Recommender = "recommender";
    public const string RecommenderWeights = "recommender/recommender.bin";
    public const string Backbone = "backbone";

    public static string PathOf(string bundle, string relative) => Path.Combine(bundle, relative.Replace('/', Path.DirectorySeparatorChar));
}
