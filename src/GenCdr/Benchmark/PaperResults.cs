using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace GenCdr.Benchmark;

/// <summary>One published row of the paper's Table 2: a model and its metrics in one domain.</summary>
public sealed record PaperRow(string Model, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// The paper's published numbers as data (Hu, Lu, Wang, arXiv 2511.08006): Table 2 (ten models × six
/// domains × Recall@5, NDCG@5, Recall@10, NDCG@10) and Table 3 (ablation, NDCG@10 in four domains, with the
/// relative drops the paper prints). The numbers live in the embedded resource <c>paper-results.json</c>,
/// transcribed from shared/seed/GenCDR-paper-notes.txt; this class only reads and looks them up.
/// Domain, model and variant names are matched case-insensitively and returned in the paper's spelling.
/// </summary>
public static class PaperResults
{
    /// <summary>The name of the full model in both tables.</summary>
    public const string FullModel = "GenCDR";

    /// <summary>Table 3 reports this metric.</summary>
    public const string AblationMetric = "NDCG@10";

    static readonly Lazy<Tables> Data = new(Load);

    /// <summary>Where the numbers come from, for citing in a report.</summary>
    public static string Source => Data.Value.Source;

    /// <summary>Table 2's metric columns, in order: Recall@5, NDCG@5, Recall@10, NDCG@10.</summary>
    public static IReadOnlyList<string> Metrics => Data.Value.Metrics;

    /// <summary>Table 2's models in the paper's column order (GenCDR last).</summary>
    public static IReadOnlyList<string> Models => Data.Value.Models;

    /// <summary>Table 2's domains in the paper's order: Sports, Clothing, Phones, Electronics, Books, Movies.</summary>
    public static IReadOnlyList<string> Domains => Data.Value.Domains.Select(d => d.Domain).ToList();

    /// <summary>Table 3's domains: Phones, Electronics, Sports, Clothing.</summary>
    public static IReadOnlyList<string> AblationDomains => Data.Value.Ablation.Domains;

    /// <summary>Table 3's variants without the full model, in the paper's order ("w/o MTM", …, "w/o Prefix Tree").</summary>
    public static IReadOnlyList<string> AblationVariants =>
        Data.Value.Ablation.Variants.Select(v => v.Name).Where(n => !IsFull(n)).ToList();

    /// <summary>The paper's spelling of a Table 2 domain, or null if the paper has no such domain.</summary>
    public static string? FindDomain(string name) =>
        Data.Value.Domains.FirstOrDefault(d => Same(d.Domain, name))?.Domain;

    public static bool HasDomain(string name) => FindDomain(name) is not null;

    /// <summary>The paper's scenario (dataset pair) of a domain: Leisure, Technology or Entertainment.</summary>
    public static string ScenarioOf(string domain) => DomainTable(domain).Scenario;

    /// <summary>A Table 2 cell, e.g. Table2("Sports", "GenCDR", "Recall@10") = 0.0403.</summary>
    public static double Table2(string domain, string model, string metric)
    {
        var table = DomainTable(domain);
        var row = table.Rows.FirstOrDefault(r => Same(r.Key, model));
        if (row.Value is null) throw new GenCdrException($"paper Table 2 has no model '{model}' (models: {string.Join(", ", Models)})");
        int column = IndexOf(Metrics, metric, "metric");
        return row.Value[column];
    }

    /// <summary>The rows of Table 2 for one domain, in the paper's column order.</summary>
    public static IReadOnlyList<PaperRow> Table2Rows(string domain)
    {
        var table = DomainTable(domain);
        return Models.Select(m => new PaperRow(m,
            Metrics.Select((metric, i) => (metric, value: table.Rows[m][i])).ToDictionary(p => p.metric, p => p.value)))
            .ToList();
    }

    /// <summary>The paper's spelling of a Table 3 domain, or null if Table 3 does not cover it.</summary>
    public static string? FindAblationDomain(string name) => AblationDomains.FirstOrDefault(d => Same(d, name));

    /// <summary>The paper's name of an ablation variant, or null. Matching ignores case, punctuation and a
    /// parenthesised suffix, so "w/o MoE gate" finds "w/o MoE Gate (Avg.)"; "GenCDR" is the full model.</summary>
    public static string? FindAblationVariant(string name)
    {
        string key = VariantKey(name);
        return Data.Value.Ablation.Variants.Select(v => v.Name).FirstOrDefault(n => VariantKey(n) == key);
    }

    /// <summary>A Table 3 cell (NDCG@10), e.g. Ablation("Sports", "w/o MTM") = 0.0245; variant "GenCDR" is the full model.</summary>
    public static double Ablation(string domain, string variant)
    {
        var (v, column) = AblationCell(domain, variant);
        return v.Ndcg10[column];
    }

    /// <summary>The relative drop in percent that Table 3 prints next to a variant (e.g. 6.5 for "↓6.5%");
    /// null for the full model.</summary>
    public static double? StatedAblationDropPercent(string domain, string variant)
    {
        var (v, column) = AblationCell(domain, variant);
        return v.StatedDropPercent?[column];
    }

    /// <summary>Maps each of our domain names to the paper's domain of the same name (ignoring case);
    /// domains the paper lacks are left out. The default for <see cref="BenchReportInput.PaperDomains"/>.</summary>
    public static IReadOnlyDictionary<string, string> MatchDomainsByName(IEnumerable<string> ourDomains)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var ours in ourDomains)
            if (FindDomain(ours) is { } paper) map[ours] = paper;
        return map;
    }

    static bool IsFull(string variant) => Same(variant, FullModel);

    static (VariantJson Variant, int Column) AblationCell(string domain, string variant)
    {
        var ablation = Data.Value.Ablation;
        int column = IndexOf(ablation.Domains, domain, "Table 3 domain");
        string name = FindAblationVariant(variant)
                      ?? throw new GenCdrException($"paper Table 3 has no variant '{variant}' (variants: {string.Join(", ", ablation.Variants.Select(v => v.Name))})");
        return (ablation.Variants.First(v => v.Name == name), column);
    }

    static DomainJson DomainTable(string domain) =>
        Data.Value.Domains.FirstOrDefault(d => Same(d.Domain, domain))
        ?? throw new GenCdrException($"paper Table 2 has no domain '{domain}' (domains: {string.Join(", ", Domains)})");

    static int IndexOf(IReadOnlyList<string> names, string name, string what)
    {
        for (int i = 0; i < names.Count; i++)
            if (Same(names[i], name)) return i;
        throw new GenCdrException($"paper: no {what} '{name}' (known: {string.Join(", ", names)})");
    }

    static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>"w/o MoE Gate (Avg.)" → "wo moe gate": lower case, parenthesised parts and punctuation dropped.</summary>
    static string VariantKey(string name)
    {
        var text = Regex.Replace(name, @"\([^)]*\)", " ");
        var words = Regex.Split(text.ToLowerInvariant(), "[^a-z0-9]+")
            .Where(w => w.Length > 0);
        return string.Join(' ', words);
    }

    static Tables Load()
    {
        var tables = EmbeddedJson.Read<Tables>("GenCdr.Benchmark.paper-results.json");
        Validate(tables);
        return tables;
    }

    /// <summary>The resource is checked once on load, so a mistyped edit fails loudly rather than misreporting.</summary>
    static void Validate(Tables t)
    {
        foreach (var d in t.Domains)
        {
            if (d.Rows.Count != t.Models.Count || t.Models.Any(m => !d.Rows.ContainsKey(m)))
                throw new InvalidOperationException($"paper-results.json: domain {d.Domain} does not have one row per model");
            if (d.Rows.Values.Any(r => r.Length != t.Metrics.Count))
                throw new InvalidOperationException($"paper-results.json: domain {d.Domain} has a row without {t.Metrics.Count} values");
        }
        foreach (var v in t.Ablation.Variants)
            if (v.Ndcg10.Length != t.Ablation.Domains.Count || (v.StatedDropPercent is { } s && s.Length != t.Ablation.Domains.Count))
                throw new InvalidOperationException($"paper-results.json: ablation variant {v.Name} does not have one value per domain");
    }

    // The shape of paper-results.json.
    sealed record Tables(string Source, IReadOnlyList<string> Metrics, IReadOnlyList<string> Models,
        [property: JsonPropertyName("table2")] IReadOnlyList<DomainJson> Domains,
        [property: JsonPropertyName("table3")] AblationJson Ablation);

    sealed record DomainJson(string Scenario, string Domain, IReadOnlyDictionary<string, double[]> Rows);

    sealed record AblationJson(string Metric, IReadOnlyList<string> Domains, IReadOnlyList<VariantJson> Variants);

    sealed record VariantJson(string Name, double[] Ndcg10, double[]? StatedDropPercent);
}
