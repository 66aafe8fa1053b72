using GenCdr.Evaluation;

namespace GenCdr.Benchmark;

/// <summary>Everything the benchmark report is written from. Only <see cref="Results"/> is required;
/// every other part adds a section or a figure when present.</summary>
public sealed record BenchReportInput
{
    /// <summary>Our measured results. Models whose name is "<see cref="FullModel"/> w/o …" are ablation
    /// variants (Table 3); all others are compared in the Table-2-style tables.</summary>
    public required ResultsDocument Results { get; init; }

    /// <summary>Model name → what its run measured (training time, memory, decode speed, loss curves).</summary>
    public IReadOnlyDictionary<string, ModelRunInfo> RunInfo { get; init; } = new Dictionary<string, ModelRunInfo>();

    /// <summary>Where the data set came from and how it was prepared, in words (printed as given).</summary>
    public string Provenance { get; init; } = "";

    /// <summary>The evaluation protocol in words; null: the one stored in <see cref="Results"/>.</summary>
    public string? Protocol { get; init; }

    /// <summary>Our domain name → the paper's domain name (e.g. "sports" → "Sports"). Domains without an
    /// entry get no paper rows. Null: match names ignoring case (<see cref="PaperResults.MatchDomainsByName"/>).</summary>
    public IReadOnlyDictionary<string, string>? PaperDomains { get; init; }

    /// <summary>The split the tables report ("test" or "validation").</summary>
    public string Split { get; init; } = "test";

    /// <summary>Our name of the full GenCDR model.</summary>
    public string FullModel { get; init; } = PaperResults.FullModel;

    /// <summary>Model → its per-user test ranks, for the paired intervals (<see cref="DifferenceTable"/>); models cached
    /// before ranks were kept are absent.</summary>
    public IReadOnlyDictionary<string, GenCdr.Evaluation.TargetRanks> Ranks { get; init; } = new Dictionary<string, GenCdr.Evaluation.TargetRanks>();

    /// <summary>Each user's recorded group, by user index (<see cref="GenCdr.Data.PreparedDataset.UserGroups"/>); when present
    /// the differences are also given per group (<see cref="DifferenceTable.RenderByGroup"/>).</summary>
    public IReadOnlyList<string>? UserGroups { get; init; }

    /// <summary>Model → its validation Recall@10 per epoch (<see cref="ValidationCurves"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ValidationPoint>> ValidationCurves { get; init; } = new Dictionary<string, IReadOnlyList<ValidationPoint>>();

    /// <summary>Model → what its routers do (<see cref="RouterTable"/>); models without routers are absent.</summary>
    public IReadOnlyDictionary<string, ModelRouting> Routing { get; init; } = new Dictionary<string, ModelRouting>();

    /// <summary>The baselines the full model is checked against on Recall@10, per domain; null: every measured baseline
    /// but the floors (<see cref="BaselineVerdicts.DefaultBaselines"/>).</summary>
    public IReadOnlyList<string>? ComparedBaselines { get; init; }

    /// <summary>Item latents per condition for the Fig. 3-style projection (e.g. without and with domain
    /// adapters), drawn side by side in this order; empty: no such figure.</summary>
    public IReadOnlyList<ItemLatents> Latents { get; init; } = [];

    /// <summary>Names of the domain indices used in <see cref="ItemLatents.Domains"/>; null: "domain 0", ….</summary>
    public IReadOnlyList<string>? LatentDomainNames { get; init; }

    /// <summary>At most this many items are projected per condition (a fixed random subsample).</summary>
    public int LatentSampleSize { get; init; } = 3000;

    /// <summary>Seed of that subsample.</summary>
    public int Seed { get; init; } = 0;

    /// <summary>The paper domain of one of our domains, or null.</summary>
    public string? PaperDomainOf(string ourDomain)
    {
        var map = PaperDomains ?? PaperResults.MatchDomainsByName([ourDomain]);
        return map.TryGetValue(ourDomain, out var paper) && PaperResults.FindDomain(paper) is { } canonical ? canonical : null;
    }
}
