namespace GenCdr.Benchmark;

/// <summary>
/// The paper's Table 2 for one domain, with our rows first: one row per model, columns R@5, N@5, R@10,
/// N@10 (paper §4.1 metrics), a source column ("ours" or "paper") and the number of users we evaluated.
/// The paper's rows are added only when the domain has a paper counterpart.
/// </summary>
public static class ComparisonTable
{
    public static MarkdownTable Build(MeasuredResults ours, string domain, string? paperDomain)
    {
        var metrics = PaperResults.Metrics;
        var table = new MarkdownTable(["model", "source", .. metrics.Select(ReportFormat.ShortMetric), "users"]);
        foreach (var model in ours.Models)
        {
            var results = ours.Domain(model, domain);
            if (results is null) continue;
            string users = results.UsersEvaluated == results.UsersEligible
                ? results.UsersEvaluated.ToString()
                : $"{results.UsersEvaluated} of {results.UsersEligible}";
            table.AddRow([model, "ours", .. metrics.Select(m => ReportFormat.Metric(ours.Metric(model, domain, m))), users]);
        }
        if (paperDomain is not null)
            foreach (var row in PaperResults.Table2Rows(paperDomain))
                table.AddRow([row.Model, "paper", .. metrics.Select(m => ReportFormat.Metric(row.Metrics[m])), ReportFormat.Missing]);
        return table;
    }
}
