namespace GenCdr.Evaluation;

/// <summary>
/// The results JSON: results[model].Splits[split].Domains[domain].Metrics[metric], plus the protocol in
/// words and the data set name. Built from <see cref="EvaluationResult"/>s; a later result for the same
/// model and split replaces the earlier one, so separate runs can add their models to one file.
/// </summary>
public sealed class ResultsDocument
{
    public string Dataset { get; set; } = "";
    public string Protocol { get; set; } = Evaluator.Protocol;
    public Dictionary<string, ModelResults> Models { get; set; } = new(StringComparer.Ordinal);

    public void Add(EvaluationResult result)
    {
        if (!Models.TryGetValue(result.Model, out var model)) Models[result.Model] = model = new ModelResults();
        model.Splits[SplitName(result.Split)] = new SplitResults
        {
            WallSeconds = result.WallSeconds,
            UsersPerSecond = result.UsersPerSecond,
            Domains = result.Domains.ToDictionary(d => d.Domain, d => new DomainResults
            {
                UsersEvaluated = d.UsersEvaluated,
                UsersEligible = d.UsersEligible,
                Metrics = new Dictionary<string, double>(d.Metrics),
            }),
        };
    }

    public static string SplitName(GenCdr.Data.Split split) => split.ToString().ToLowerInvariant();
}

public sealed class ModelResults
{
    /// <summary>Split name ("validation", "test") → results.</summary>
    public Dictionary<string, SplitResults> Splits { get; set; } = new(StringComparer.Ordinal);
}

public sealed class SplitResults
{
    public double WallSeconds { get; set; }
    public double UsersPerSecond { get; set; }
    /// <summary>Domain name → results.</summary>
    public Dictionary<string, DomainResults> Domains { get; set; } = new(StringComparer.Ordinal);
}

public sealed class DomainResults
{
    public int UsersEvaluated { get; set; }
    /// <summary>Users with a held-out event in the domain (fewer are evaluated when a sample was asked for).</summary>
    public int UsersEligible { get; set; }
    /// <summary>Metric name ("Recall@10") → value.</summary>
    public Dictionary<string, double> Metrics { get; set; } = new(StringComparer.Ordinal);
}
