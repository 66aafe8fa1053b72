namespace GenCdr.Data;

/// <summary>How a raw data set becomes a <see cref="PreparedDataset"/> (see <see cref="DatasetPreparer"/>).</summary>
public sealed record PreparationOptions
{
    /// <summary>k-core threshold applied per domain: users and items with fewer than k interactions in the domain
    /// are removed, repeatedly, until none is left. Paper: the Amazon data are already 5-core, so 0 (off) is the
    /// default; set 5 for raw, unfiltered review files.</summary>
    public int KCore { get; init; } = 0;

    /// <summary>Drop interactions whose item has no text. Paper: not specified; default false (such items keep
    /// <see cref="ItemText.Empty"/> and are counted in the statistics).</summary>
    public bool DropItemsWithoutText { get; init; } = false;

    /// <summary>Drop repeated (user, item, timestamp) lines of a domain, keeping the first. Default true: a
    /// repeat carries no information and, under leave-last-out, would put the test item into its own history
    /// at the same time stamp. (The shared Amazon files contain none.)</summary>
    public bool DropExactDuplicates { get; init; } = true;

    /// <summary>Keep at most this many users, sampled uniformly with <see cref="Seed"/> after all filtering
    /// (for quick runs; items left without events are dropped). Null keeps everyone (the paper's setting).</summary>
    public int? MaxUsers { get; init; }

    /// <summary>Seed of the <see cref="MaxUsers"/> sample.</summary>
    public int Seed { get; init; } = 42;
}
