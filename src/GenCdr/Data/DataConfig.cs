using GenCdr.Data.Synthetic;

namespace GenCdr.Data;

/// <summary>Where a run's data comes from and how it is prepared (part of <see cref="RunConfig"/>).</summary>
public sealed record DataConfig
{
    public const string BuiltIn = "builtin";

    /// <summary>"builtin" (the generated data set, no download), a data set of <see cref="DataCatalog.Builtin"/>
    /// ("sports-clothing", "clothing-beauty", "amazon2014-sports", …), domains joined by '+' ("sports+beauty"),
    /// a prepared data set folder (holding manifest.json), or a JSON file of domain specs.</summary>
    public string Source { get; init; } = BuiltIn;

    /// <summary>Folder that the catalog's relative paths are resolved against (e.g. ../shared/data).</summary>
    public string DataRoot { get; init; } = ".";

    public PreparationOptions Preparation { get; init; } = new();

    /// <summary>Used when <see cref="Source"/> is "builtin".</summary>
    public SyntheticDatasetConfig Synthetic { get; init; } = new();
}

/// <summary>Turns a <see cref="DataConfig"/> into a <see cref="PreparedDataset"/>.</summary>
public static class DatasetSource
{
    public static PreparedDataset Load(DataConfig config)
    {
        if (string.Equals(config.Source, DataConfig.BuiltIn, StringComparison.OrdinalIgnoreCase))
            return DatasetPreparer.Prepare(SyntheticDatasetGenerator.Generate(config.Synthetic), config.Preparation);
        if (File.Exists(Path.Combine(config.Source, PreparedDatasetStore.ManifestFile)))
            return PreparedDatasetStore.Load(config.Source);
        return DatasetPreparer.Prepare(DataCatalog.Builtin.Load(config.Source, config.DataRoot), config.Preparation);
    }
}
