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
