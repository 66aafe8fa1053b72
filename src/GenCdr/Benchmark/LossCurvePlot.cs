using ScottPlot;

namespace GenCdr.Benchmark;

/// <summary>
/// Training-loss curves: one panel per training stage (losses of different stages are on different scales,
/// e.g. RQ-VAE reconstruction vs next-token cross-entropy), one line per model in each panel, loss against
/// epoch. A model keeps its colour in every panel.
/// </summary>
public static class LossCurvePlot
{
    /// <summary>Writes the PNG; returns false (and writes nothing) when no model has a curve.</summary>
    public static bool Save(string path, IReadOnlyDictionary<string, ModelRunInfo> runInfo, int width = 1200, int panelHeight = 380)
    {
        var models = runInfo.Where(m => m.Value.LossCurves.Any(c => c.Value.Count > 0)).Select(m => m.Key).ToList();
        var stages = models.SelectMany(m => runInfo[m].LossCurves.Where(c => c.Value.Count > 0).Select(c => c.Key)).Distinct().ToList();
        if (stages.Count == 0) return false;

        int columns = Math.Min(2, stages.Count), rows = (stages.Count + columns - 1) / columns;
        var figure = new Multiplot();
        figure.AddPlots(stages.Count);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        for (int s = 0; s < stages.Count; s++)
        {
            var plot = figure.GetPlot(s);
            plot.Title($"stage: {stages[s]}");
            plot.XLabel("epoch");
            plot.YLabel("training loss");
            for (int m = 0; m < models.Count; m++)
            {
                if (!runInfo[models[m]].LossCurves.TryGetValue(stages[s], out var curve)) continue;
                curve = curve.Where(p => double.IsFinite(p.Loss)).ToList();   // a diverged epoch's NaN is no point of the curve
                if (curve.Count == 0) continue;
                var line = plot.Add.Scatter(curve.Select(p => p.Epoch).ToArray(), curve.Select(p => p.Loss).ToArray(), PlotFiles.ColorOf(m));
                line.LegendText = models[m];
                line.MarkerSize = curve.Count > 40 ? 0 : 4;
            }
            plot.ShowLegend(Alignment.UpperRight);
        }
        PlotFiles.Save(figure, path, width, rows * panelHeight);
        return true;
    }
}
