using GenCdr.Baselines;
using GenCdr.Data;

namespace GenCdr.Benchmark;

/// <summary>
/// One benchmark: a data set (inside <see cref="GenCdr"/>'s <see cref="RunConfig.Data"/>), the configuration of
/// the full GenCDR model (every GenCDR variant and TIGER are derived from it, see <see cref="BenchModels"/>),
/// the SASRec baseline's configuration, and the words the report prints about the data. JSON-serialisable:
/// it is saved as suite.json in the bench folder, so that a re-run with other settings cannot silently mix
/// results of two configurations.
/// </summary>
public sealed record BenchSuite
{
    /// <summary>"builtin", "sports-clothing", "clothing-beauty" or a user-given name.</summary>
    public string Name { get; init; } = BenchSuites.BuiltIn;

    /// <summary>The full GenCDR model's configuration, the data set included.</summary>
    public RunConfig GenCdr { get; init; } = new();

    /// <summary>The SASRec baseline's configuration.</summary>
    public SasRecConfig SasRec { get; init; } = new();
    /// <summary>SASRec with the paper's loss (one sampled negative, BCE): the SASRec of published tables, to check
    /// the harness against them (our default SASRec, with full-softmax cross-entropy, is stronger).</summary>
    public SasRecConfig SasRecOriginal { get; init; } = SasRecConfig.Original;
    public Bert4RecConfig Bert4Rec { get; init; } = new();

    /// <summary>Where the data comes from and what its item text is, for the report's "Data set" section.</summary>
    public string Provenance { get; init; } = "";

    /// <summary>Our domain name → the paper's (Table 2) domain name; null: match names ignoring case.</summary>
    public IReadOnlyDictionary<string, string>? PaperDomains { get; init; }

    public DataConfig Data => GenCdr.Data;
}
