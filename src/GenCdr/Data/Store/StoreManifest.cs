namespace GenCdr.Data;

/// <summary>The manifest.json of a prepared data set folder (see <see cref="PreparedDatasetStore"/>).</summary>
public sealed record StoreManifest
{
    public int FormatVersion { get; init; }
    public string Name { get; init; } = "";
    public IReadOnlyList<StoredDomain> Domains { get; init; } = [];
    public int Users { get; init; }
    public int Events { get; init; }
    public DateTime CreatedUtc { get; init; }
    /// <summary>The options the data set was prepared with, when known.</summary>
    public PreparationOptions? Preparation { get; init; }
}

/// <summary>A domain's entry in the manifest: its name and counts (checked on load).</summary>
public sealed record StoredDomain(string Name, int Items, int Interactions);
