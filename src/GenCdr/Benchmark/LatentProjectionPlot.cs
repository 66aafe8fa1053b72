using ScottPlot;

namespace GenCdr.Benchmark;

/// <summary>
/// The paper's Fig. 3 with PCA instead of t-SNE: item latents of each condition (e.g. without and with
/// domain adapters) projected to 2-D and coloured by domain, conditions side by side. Each condition gets
/// its own projection (the spaces differ). Paper §4.3: with domain-specific adapters, items form
/// domain clusters; with universal adapters only, domains mix.
/// </summary>
public static class LatentProjectionPlot
{
    /// <summary>Writes the PNG and returns each condition's projection (in panel order); writes nothing
    /// and returns an empty list when there are no panels.</summary>
    public static IReadOnlyList<Projection> Save(string path, IReadOnlyList<ItemLatents> panels,
        IReadOnlyList<string>? domainNames = null, int maxItems = 3000, int seed = 0, int panelWidth = 600, int height = 560)
    {
        if (panels.Count == 0) return [];
        foreach (var panel in panels) panel.Validate();
        var figure = new Multiplot();
        figure.AddPlots(panels.Count);
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var projections = new List<Projection>();
        for (int p = 0; p < panels.Count; p++)
        {
            var projection = PrincipalComponents.Project(panels[p].Latents, 2, maxItems, seed);
            projections.Add(projection);
            var plot = figure.GetPlot(p);
            plot.Title(panels[p].Title);
            plot.XLabel($"PC 1 ({Percent(projection.ExplainedVarianceRatio[0])} of variance)");
            plot.YLabel($"PC 2 ({Percent(projection.ExplainedVarianceRatio[1])} of variance)");
            var byDomain = projection.Indices.Select((item, row) => (Domain: panels[p].Domains[item], Point: projection.Points[row]))
                .GroupBy(x => x.Domain).OrderBy(g => g.Key);
            foreach (var group in byDomain)
            {
                var markers = plot.Add.Markers(group.Select(x => x.Point[0]).ToArray(), group.Select(x => x.Point[1]).ToArray(),
                    MarkerShape.FilledCircle, 3, PlotFiles.ColorOf(group.Key).WithAlpha(0.6));
                markers.LegendText = domainNames is not null && group.Key < domainNames.Count ? domainNames[group.Key] : $"domain {group.Key}";
            }
            plot.ShowLegend(Alignment.UpperRight);
        }
        PlotFiles.Save(figure, path, panelWidth * panels.Count, height);
        return projections;
    }

    static string Percent(double ratio) => (ratio * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
