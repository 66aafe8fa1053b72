using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using GenCdr.Data;
using Spectre.Console;

namespace GenCdr.Evaluation;

/// <summary>Reads and writes the results JSON (<see cref="ResultsDocument"/>) and renders it as a table.</summary>
public static class ResultsStore
{
    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // A local results file, never embedded in HTML: keep "user's" and "rank+2" readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the document atomically (<see cref="AtomicFile"/>).</summary>
    public static void Save(string path, ResultsDocument document) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(document, Json));

    public static ResultsDocument Load(string path)
    {
        if (!File.Exists(path)) throw new GenCdrException($"{path}: results file not found");
        try
        {
            return JsonSerializer.Deserialize<ResultsDocument>(File.ReadAllText(path), Json)
                   ?? throw GenCdrException.AtLine(path, 1, "empty results file");
        }
        catch (JsonException e)
        {
            throw GenCdrException.AtLine(path, (e.LineNumber ?? 0) + 1, $"not a results file: {e.Message}");
        }
    }

    /// <summary>Adds results to the file at path (creating it if needed): the same model and split are replaced.</summary>
    public static ResultsDocument Append(string path, string dataset, params IEnumerable<EvaluationResult> results)
    {
        var document = File.Exists(path) ? Load(path) : new ResultsDocument();
        document.Dataset = dataset;
        foreach (var r in results) document.Add(r);
        Save(path, document);
        return document;
    }

    /// <summary>One row per model, and per domain the columns R@5 N@5 R@10 N@10 (for the cut-offs present).</summary>
    public static Table RenderTable(ResultsDocument document, Split split)
    {
        string splitName = ResultsDocument.SplitName(split);
        var rows = document.Models.Where(m => m.Value.Splits.ContainsKey(splitName))
            .Select(m => (Model: m.Key, Results: m.Value.Splits[splitName])).ToList();
        var domains = rows.SelectMany(r => r.Results.Domains.Keys).Distinct().ToList();
        var ks = rows.SelectMany(r => r.Results.Domains.Values).SelectMany(d => d.Metrics.Keys)
            .Select(CutOff).Where(k => k > 0).Distinct().Order().ToList();

        var table = new Table { Title = new TableTitle($"{Markup.Escape(document.Dataset)} — {splitName}") };
        table.AddColumn("model");
        foreach (var d in domains)
            foreach (int k in ks)
            {
                table.AddColumn(new TableColumn($"{Markup.Escape(d)} R@{k}").RightAligned());
                table.AddColumn(new TableColumn($"{Markup.Escape(d)} N@{k}").RightAligned());
            }
        foreach (var (model, results) in rows)
        {
            var cells = new List<string> { Markup.Escape(model) };
            foreach (var d in domains)
                foreach (int k in ks)
                {
                    cells.Add(Format(results, d, RankingMetrics.RecallName(k)));
                    cells.Add(Format(results, d, RankingMetrics.NdcgName(k)));
                }
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    static string Format(SplitResults results, string domain, string metric) =>
        results.Domains.TryGetValue(domain, out var d) && d.Metrics.TryGetValue(metric, out var v)
            ? v.ToString("0.0000", CultureInfo.InvariantCulture)
            : "–";

    /// <summary>K of a metric name such as "Recall@10"; 0 if the name has no cut-off.</summary>
    static int CutOff(string metric)
    {
        int at = metric.LastIndexOf('@');
        return at >= 0 && int.TryParse(metric.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int k) ? k : 0;
    }
}
