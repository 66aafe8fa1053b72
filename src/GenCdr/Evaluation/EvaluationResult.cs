using System.Text.Json.Serialization;
using GenCdr.Data;

namespace GenCdr.Evaluation;

/// <summary>The metrics of one domain: how many users were evaluated (of how many eligible) and
/// metric name ("Recall@10") → mean over those users.</summary>
public sealed record DomainEvaluation(string Domain, int UsersEvaluated, int UsersEligible,
    IReadOnlyDictionary<string, double> Metrics);

/// <summary>One evaluated query: the held-out event, its item, and the model's ranked list (top max K).</summary>
public sealed record QueryRanking(HeldOut Target, int TargetItem, int[] Ranked);

/// <summary>The outcome of evaluating one model on one split.</summary>
public sealed record EvaluationResult(string Model, Split Split, IReadOnlyList<DomainEvaluation> Domains,
    double WallSeconds, double UsersPerSecond)
{
    /// <summary>Every evaluated query with its ranking, for <see cref="PredictionsWriter"/>; not part of the
    /// results JSON.</summary>
    [JsonIgnore] public IReadOnlyList<QueryRanking> Rankings { get; init; } = [];

    /// <summary>The value of a metric in a domain, e.g. Metric("apparel", "Recall@10").</summary>
    public double Metric(string domain, string metric) =>
        Domains.First(d => string.Equals(d.Domain, domain, StringComparison.OrdinalIgnoreCase)).Metrics[metric];

    /// <summary>The mean of a metric over domains (each domain weighted equally), e.g. for model selection.</summary>
    public double MeanOverDomains(string metric) => Domains.Count == 0 ? 0 : Domains.Average(d => d.Metrics[metric]);
}
