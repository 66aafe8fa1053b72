using System.Text.Json;

namespace GenCdr.Serving;

/// <summary>One domain of a bundle: its name, how many items it serves, and how many of those were added after
/// training (<c>gencdr items add</c> or <c>POST /v1/items</c>).</summary>
public sealed record BundleDomain(string Name, int Items, int AddedItems);

/// <summary>
/// bundle.json, the table of contents of a model bundle (<see cref="BundleLayout"/>): the format version, when
/// it was created and last changed, the run's configuration, the domains with their item counts, the user and
/// event counts, and the SHA-256 of every other file of the bundle, by path relative to the bundle (with '/').
/// Loading refuses an unknown version, a missing file or a checksum mismatch, so a copied, truncated or
/// hand-edited bundle fails with a clear message instead of serving wrong recommendations.
/// </summary>
public sealed record BundleManifest
{
    /// <summary>2: the tokenizer's adapters are stored as the one LoRA module's dom_A.i / dom_B.i (version 1: adapters.NAME.A / B).</summary>
    public const int CurrentVersion = 2;

    public int FormatVersion { get; init; }
    public DateTime CreatedUtc { get; init; }
    public DateTime UpdatedUtc { get; init; }
    /// <summary>The data set's name.</summary>
    public string Name { get; init; } = "";
    /// <summary>The configuration the model was trained with (text encoder, tokenizer, recommender).</summary>
    public RunConfig Config { get; init; } = new();
    public List<BundleDomain> Domains { get; init; } = [];
    public int Users { get; init; }
    public int Events { get; init; }
    /// <summary>Relative path → lower-case hex SHA-256.</summary>
    public SortedDictionary<string, string> Files { get; init; } = new(StringComparer.Ordinal);

    public string ToJson() => JsonSerializer.Serialize(this, RunConfig.Json);

    /// <summary>Reads bundle.json and checks its version (not the files: see <see cref="BundleChecksums"/>).</summary>
    public static BundleManifest Read(string bundleDirectory)
    {
        string path = Path.Combine(bundleDirectory, BundleLayout.ManifestFile);
        if (!Directory.Exists(bundleDirectory)) throw new GenCdrException($"{bundleDirectory}: model bundle not found");
        if (!File.Exists(path)) throw new GenCdrException($"{path}: not found (is '{bundleDirectory}' a model bundle written by `gencdr export`?)");
        BundleManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BundleManifest>(File.ReadAllText(path), RunConfig.Json);
        }
        catch (JsonException e)
        {
            throw GenCdrException.AtLine(path, (e.LineNumber ?? 0) + 1, $"not a valid bundle manifest: {e.Message.Split('.')[0]}");
        }
        if (manifest is null) throw GenCdrException.AtLine(path, 1, "empty bundle manifest");
        if (manifest.FormatVersion != CurrentVersion)
            throw GenCdrException.AtLine(path, 1, $"bundle format version {manifest.FormatVersion} is not supported (this gencdr reads version {CurrentVersion})");
        return manifest;
    }
}
