using GenCdr.Benchmark;
using GenCdr.Evaluation;

namespace GenCdr.Tests.Benchmark;

public class PngTests
{
    static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool IsPng(string path)
    {
        if (!File.Exists(path)) return false;
        var head = new byte[8];
        using var file = File.OpenRead(path);
        return file.Read(head) == 8 && head.SequenceEqual(Signature) && file.Length > 1000;
    }

    [Fact]
    public void LossCurvePlotWritesAPng()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gencdr-loss-{Guid.NewGuid():N}.png");
        try
        {
            var info = new Dictionary<string, ModelRunInfo>
            {
                ["TIGER"] = new() { LossCurves = new Dictionary<string, IReadOnlyList<LossPoint>> { ["train"] = [new(1, 3.0), new(2, 2.0), new(3, 1.5)] } },
            };
            Assert.True(LossCurvePlot.Save(path, info));
            Assert.True(IsPng(path));
        }
        finally { File.Delete(path); }
    }

    /// <summary>A model whose training went NaN for some epochs (early stopping then restores its best weights): its
    /// record is written and read back with the NaN, and its loss curve is drawn without those epochs.</summary>
    [Fact]
    public void A_diverged_models_record_round_trips_and_its_curve_is_drawn()
    {
        string dir = Directory.CreateTempSubdirectory("gencdr-nan-").FullName;
        try
        {
            var info = new ModelRunInfo { LossCurves = new Dictionary<string, IReadOnlyList<LossPoint>> { ["training"] = [new(1, 8.0), new(2, 7.2), new(3, double.NaN)] } };
            var record = new BenchModelRecord { Model = "STOSA", Test = new EvaluationResult("STOSA", GenCdr.Data.Split.Test, [], 1, 1), RunInfo = info };
            string path = Path.Combine(dir, "bench-result.json");
            record.Save(path);
            var loaded = BenchModelRecord.TryLoad(path)!;
            Assert.True(double.IsNaN(loaded.RunInfo.LossCurves["training"][2].Loss));
            Assert.Equal(7.2, loaded.RunInfo.LossCurves["training"][1].Loss);
            Assert.True(LossCurvePlot.Save(Path.Combine(dir, "loss.png"), new Dictionary<string, ModelRunInfo> { ["STOSA"] = loaded.RunInfo }));
            Assert.True(IsPng(Path.Combine(dir, "loss.png")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void NothingToDrawWritesNothing()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gencdr-empty-{Guid.NewGuid():N}.png");
        Assert.False(LossCurvePlot.Save(path, new Dictionary<string, ModelRunInfo> { ["Popularity"] = new() }));
        Assert.False(RecallBarChart.Save(path, new MeasuredResults(new ResultsDocument(), "test", "GenCDR")));
        Assert.Empty(LatentProjectionPlot.Save(path, []));
        Assert.False(File.Exists(path));
    }
}
