using ScottPlot;

namespace GenCdr.Benchmark;

/// <summary>A grouped bar chart of one metric (Recall@10 by default): one group per domain, one bar per
/// model, each model in its own colour with a legend.</summary>
public static class RecallBarChart
{
    /// <summary>Writes the PNG; returns false (and writes nothing) when there is nothing to draw.</summary>
    public static bool Save(string path, MeasuredResults ours, string metric = "Recall@10", int width = 1200, int height = 520)
    {
        var models = ours.Models;
        var domains = ours.Domains;
        if (models.Count == 0 || domains.Count == 0) return false;

        var plot = new Plot();
        double barWidth = 0.8 / models.Count;
        for (int m = 0; m < models.Count; m++)
        {
            var bars = new List<Bar>();
            for (int d = 0; d < domains.Count; d++)
                if (ours.Metric(models[m], domains[d], metric) is { } value)
                    bars.Add(new Bar
                    {
                        Position = d - 0.4 + barWidth * (m + 0.5),
                        Value = value,
                        Size = barWidth * 0.92,
                        FillColor = PlotFiles.ColorOf(m),
                        LineWidth = 0,
                    });
            var series = plot.Add.Bars(bars);
            series.LegendText = models[m];
            series.Color = PlotFiles.ColorOf(m);
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, domains.Count).Select(d => (double)d).ToArray(), domains.ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.YLabel($"{metric} ({ours.Split})");
        plot.Title($"{metric} per model and domain ({ours.Split} split)");
        plot.ShowLegend(Edge.Right); // outside the data area: bars are never hidden behind it
        PlotFiles.Save(plot, path, width, height);
        return true;
    }
}
