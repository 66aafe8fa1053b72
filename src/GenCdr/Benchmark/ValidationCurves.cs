using System.Text.Json;
using GenCdr.Training;
using ScottPlot;

namespace GenCdr.Benchmark;

/// <summary>One point of a validation curve: the epoch (counted across a model's stages) and its validation Recall@10.</summary>
public sealed record ValidationPoint(int Epoch, double Recall10, string Stage);

/// <summary>
/// Validation Recall@10 per epoch of every model of a bench folder that validated, read from what its training left in
/// its model folder: a GenCDR-family run's training-state.json (its stages one after another) or a neural baseline's
/// training-report.json. Every model is validated on the same fixed sample of users, so the curves are comparable.
/// </summary>
public static class ValidationCurves
{
    public static Dictionary<string, IReadOnlyList<ValidationPoint>> Read(BenchFolder folder, IEnumerable<string> models)
    {
        var curves = new Dictionary<string, IReadOnlyList<ValidationPoint>>();
        foreach (var model in models)
        {
            string dir = folder.ModelFolder(model);
            string state = Path.Combine(dir, "recommender", RecommenderTraining.StateFile);
            string report = Path.Combine(dir, "training-report.json");
            List<ValidationPoint> points = [];
            if (File.Exists(state))
                points = TrainingState.Load(state).History.Select((e, i) => new ValidationPoint(i + 1, e.ValidationRecall10, e.Stage)).ToList();
            else if (File.Exists(report))
            {
                using var json = JsonDocument.Parse(File.ReadAllText(report));
                if (json.RootElement.TryGetProperty("Epochs", out var epochs))
                    points = epochs.EnumerateArray()
                        .Where(e => e.TryGetProperty("ValidationRecallAt10", out var r) && r.ValueKind == JsonValueKind.Number)
                        .Select(e => new ValidationPoint(e.GetProperty("Epoch").GetInt32(), e.GetProperty("ValidationRecallAt10").GetDouble(), "training"))
                        .ToList();
            }
            if (points.Count > 0) curves[model] = points;
        }
        return curves;
    }

    /// <summary>One line per model, validation Recall@10 against epoch; false (nothing written) without curves.</summary>
    public static bool Save(string path, IReadOnlyDictionary<string, IReadOnlyList<ValidationPoint>> curves, int width = 1000, int height = 480)
    {
        if (curves.Count == 0) return false;
        var plot = new Plot();
        plot.Title("validation Recall@10 per epoch (the same users for every model)");
        plot.XLabel("epoch (a GenCDR model's stages one after another)");
        plot.YLabel("validation Recall@10");
        int m = 0;
        foreach (var (model, points) in curves.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var line = plot.Add.Scatter(points.Select(p => (double)p.Epoch).ToArray(), points.Select(p => p.Recall10).ToArray(), PlotFiles.ColorOf(m++));
            line.LegendText = model;
            line.MarkerSize = points.Count > 40 ? 0 : 4;
        }
        plot.ShowLegend(Alignment.LowerRight);
        PlotFiles.Save(plot, path, width, height);
        return true;
    }
}
