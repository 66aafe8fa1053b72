using GenCdr.Evaluation;

namespace GenCdr.Benchmark;

/// <summary>
/// Our results of one split, read from a <see cref="ResultsDocument"/> and sorted into what the report
/// needs: the compared models (full model last, as in the paper's Table 2), the ablation variants
/// ("GenCDR w/o MTM" → "w/o MTM"), the domains, and metric look-ups that say "missing" instead of throwing.
/// </summary>
public sealed class MeasuredResults
{
    readonly ResultsDocument _document;

    public MeasuredResults(ResultsDocument document, string split, string fullModel)
    {
        _document = document;
        Split = split;
        FullModel = fullModel;
        var withSplit = document.Models.Where(m => m.Value.Splits.ContainsKey(split)).Select(m => m.Key).ToList();
        Variants = withSplit.Select(m => (Model: m, Variant: VariantOf(m))).Where(p => p.Variant is not null)
            .ToDictionary(p => p.Variant!, p => p.Model, StringComparer.OrdinalIgnoreCase);
        var compared = withSplit.Where(m => VariantOf(m) is null).ToList();
        Models = compared.Where(m => m != fullModel).Concat(compared.Where(m => m == fullModel)).ToList();
        Domains = withSplit.SelectMany(m => document.Models[m].Splits[split].Domains.Keys).Distinct().ToList();
    }

    public string Split { get; }
    public string FullModel { get; }

    /// <summary>Models compared in Table 2 style, in document order with the full model last.</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>Ablation variant ("w/o MTM") → our model name ("GenCDR w/o MTM").</summary>
    public IReadOnlyDictionary<string, string> Variants { get; }

    /// <summary>Every domain that any model was evaluated in, in first-seen order.</summary>
    public IReadOnlyList<string> Domains { get; }

    public bool HasFullModel => Models.Contains(FullModel);

    /// <summary>The variant part of an ablation model's name ("GenCDR w/o MTM" → "w/o MTM"), or null.</summary>
    public string? VariantOf(string model)
    {
        string prefix = FullModel + " ";
        return model.Length > prefix.Length && model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && model[prefix.Length..].TrimStart().StartsWith("w/o", StringComparison.OrdinalIgnoreCase)
            ? model[prefix.Length..].Trim()
            : null;
    }

    public double? Metric(string model, string domain, string metric) =>
        Domain(model, domain) is { } d && d.Metrics.TryGetValue(metric, out var v) ? v : null;

    public DomainResults? Domain(string model, string domain) =>
        _document.Models.TryGetValue(model, out var m) && m.Splits.TryGetValue(Split, out var s)
        && s.Domains.TryGetValue(domain, out var d) ? d : null;

    /// <summary>The evaluator's throughput for this split (users per second), or null.</summary>
    public double? EvaluationUsersPerSecond(string model) =>
        _document.Models.TryGetValue(model, out var m) && m.Splits.TryGetValue(Split, out var s) ? s.UsersPerSecond : null;

    public double? EvaluationSeconds(string model) =>
        _document.Models.TryGetValue(model, out var m) && m.Splits.TryGetValue(Split, out var s) ? s.WallSeconds : null;
}
