namespace GenCdr.Benchmark;

/// <summary>
/// The paper's Table 3 next to ours: NDCG@10 of the full model and of each ablation variant, with the
/// relative drop versus the full model, per domain. Our column is computed from our runs; the paper's
/// column (for domains in Table 3) shows the published value and the drop the paper prints.
/// Rows: the full model, the paper's variants in its order, then any variant only we ran.
/// </summary>
public static class AblationTable
{
    /// <summary>Relative drop in percent: (full − variant) / full × 100; negative when the variant is
    /// better; null when the full model scored 0 (no meaningful ratio).</summary>
    public static double? RelativeDropPercent(double full, double variant) =>
        full == 0 ? null : (full - variant) / full * 100.0;

    public static MarkdownTable Build(MeasuredResults ours, IReadOnlyList<string> domains, Func<string, string?> paperDomainOf)
    {
        string metric = PaperResults.AblationMetric;
        var columns = domains.Select(d => (Domain: d, Paper: paperDomainOf(d) is { } p ? PaperResults.FindAblationDomain(p) : null)).ToList();
        var headers = new List<string> { "variant" };
        foreach (var c in columns)
        {
            headers.Add($"{c.Domain} ours");
            if (c.Paper is not null) headers.Add($"{c.Domain} paper ({c.Paper})");
        }
        var table = new MarkdownTable(headers);

        var ourOnly = ours.Variants.Keys.Where(v => PaperResults.FindAblationVariant(v) is null).Order(StringComparer.Ordinal);
        var rows = new List<(string Label, string? PaperVariant, string? OurModel)>
        {
            ($"{ours.FullModel} (full)", PaperResults.FullModel, ours.HasFullModel ? ours.FullModel : null),
        };
        foreach (var paperVariant in PaperResults.AblationVariants)
            rows.Add((paperVariant, paperVariant, OurModelFor(ours, paperVariant)));
        foreach (var variant in ourOnly)
            rows.Add((variant, null, ours.Variants[variant]));

        foreach (var (label, paperVariant, ourModel) in rows)
        {
            var cells = new List<string> { label };
            bool isFull = paperVariant == PaperResults.FullModel;
            foreach (var c in columns)
            {
                cells.Add(OurCell(ours, c.Domain, ourModel, isFull, metric));
                if (c.Paper is not null)
                    cells.Add(paperVariant is null ? ReportFormat.Missing : PaperCell(c.Paper, paperVariant, isFull));
            }
            table.AddRow(cells);
        }
        return table;
    }

    /// <summary>Our model of a paper variant: our variant names are matched like the paper's
    /// ("w/o MoE gate" finds "w/o MoE Gate (Avg.)").</summary>
    static string? OurModelFor(MeasuredResults ours, string paperVariant) =>
        ours.Variants.FirstOrDefault(v => PaperResults.FindAblationVariant(v.Key) == paperVariant).Value;

    static string OurCell(MeasuredResults ours, string domain, string? model, bool isFull, string metric)
    {
        if (model is null || ours.Metric(model, domain, metric) is not { } value) return ReportFormat.Missing;
        if (isFull) return ReportFormat.Metric(value);
        var full = ours.HasFullModel ? ours.Metric(ours.FullModel, domain, metric) : null;
        return full is { } f
            ? $"{ReportFormat.Metric(value)} ({ReportFormat.Drop(RelativeDropPercent(f, value))})"
            : ReportFormat.Metric(value);
    }

    static string PaperCell(string paperDomain, string variant, bool isFull)
    {
        double value = PaperResults.Ablation(paperDomain, variant);
        return isFull
            ? ReportFormat.Metric(value)
            : $"{ReportFormat.Metric(value)} ({ReportFormat.Drop(PaperResults.StatedAblationDropPercent(paperDomain, variant))})";
    }
}
