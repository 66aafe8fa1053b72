using System.Text.Json;
using GenCdr.Recommender;
using GenCdr.Training;

namespace GenCdr.Benchmark;

/// <summary>
/// One GenCDR-family model (GenCDR, an ablation variant, TIGER) trained by the ordinary pipeline in its own run
/// folder under models/: the data set is linked from the bench folder, the tokenizer comes from
/// <see cref="BenchTokenization"/>, the backbone stage from <see cref="BenchBackbone"/>, and the pipeline's Train step skips a recommender that is already trained.
/// The folder is a complete run folder (`gencdr evaluate --run` works on it).
/// </summary>
public static class BenchGenCdrRun
{
    /// <summary>The suite's GenCDR configuration with the shared embedding cache of the bench folder.</summary>
    public static RunConfig BaseConfig(BenchContext context) =>
        context.Suite.GenCdr with { Schedule = context.Suite.GenCdr.Schedule with { CacheDirectory = context.Folder.Cache } };

    /// <summary>Trains (or loads) the recommender of <paramref name="model"/> with <paramref name="config"/>.</summary>
    public static (GenerativeRecommender Model, SemanticIds Sids, RunFolder Folder) Trained(BenchContext context, string model, RunConfig config)
    {
        var folder = new RunFolder(context.Folder.ModelFolder(model));
        folder.Begin(config);
        LinkData(context.Folder, folder);
        BenchTokenization.Provide(context, model, config, folder);
        var (tokenizer, table) = GenCdrPipeline.Tokenize(context.Data, config, folder);
        tokenizer.Dispose();
        var sids = SemanticIds.For(context.Data, table, config);
        BenchBackbone.Provide(context, model, config, sids, folder);
        if (!folder.IsTrained && RemainingStages(folder, config, context.Data.DomainCount) is { Count: > 0 } stages)
            context.Training(model, "recommender stages: " + string.Join(", ", stages));
        var recommender = GenCdrPipeline.Train(context.Data, sids, config, folder, context.PipelineFor(model));
        recommender.eval();
        return (recommender, sids, folder);
    }

    static List<string> RemainingStages(RunFolder folder, RunConfig config, int domains)
    {
        var done = TrainingState.Load(StateFile(folder)).CompletedStages;
        return StagePlan.For(config.Recommender, domains).Select(s => s.Key).Where(k => !done.Contains(k)).ToList();
    }

    /// <summary>Tokenizer (stages 1, 2 and ID assignment) plus recommender seconds (every epoch, its validation
    /// included), read from the run folder's reports, so a tokenizer trained for another variant still counts.</summary>
    public static double TrainSeconds(RunFolder folder)
    {
        double seconds = 0;
        if (File.Exists(folder.TokenizationReport))
        {
            using var report = JsonDocument.Parse(File.ReadAllText(folder.TokenizationReport));
            foreach (var field in new[] { "UniversalSeconds", "AdapterSeconds", "AssignSeconds" })
                if (report.RootElement.TryGetProperty(field, out var value)) seconds += value.GetDouble();
        }
        seconds += TrainingState.Load(StateFile(folder)).History.Sum(e => e.Seconds);
        return seconds;
    }

    /// <summary>Loss per epoch: the RQ-VAE's stage-1 objective, and each recommender stage's next-token loss.</summary>
    public static Dictionary<string, IReadOnlyList<LossPoint>> LossCurves(RunFolder folder)
    {
        var curves = new Dictionary<string, IReadOnlyList<LossPoint>>();
        if (File.Exists(folder.TokenizationReport))
        {
            using var report = JsonDocument.Parse(File.ReadAllText(folder.TokenizationReport));
            if (report.RootElement.TryGetProperty("UniversalEpochs", out var epochs))
                curves["tokenizer (RQ-VAE)"] = epochs.EnumerateArray()
                    .Select(e => new LossPoint(e.GetProperty("Epoch").GetInt32(), e.GetProperty("Losses").GetProperty("Total").GetDouble()))
                    .ToList();
        }
        foreach (var stage in TrainingState.Load(StateFile(folder)).History.GroupBy(e => e.Stage))
            curves["recommender " + stage.Key] = stage.Where(e => e.Loss is not null).Select(e => new LossPoint(e.Epoch, e.Loss!.Value)).ToList();
        return curves;
    }

    static string StateFile(RunFolder folder) => Path.Combine(folder.Recommender, RecommenderTraining.StateFile);

    /// <summary>The run folder's data/ is a symbolic link to the bench folder's prepared data set (a copy where
    /// links are not allowed).</summary>
    static void LinkData(BenchFolder bench, RunFolder run)
    {
        if (Directory.Exists(run.Data)) return;
        try
        {
            Directory.CreateSymbolicLink(run.Data, Path.GetRelativePath(run.Root, bench.Data));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            Directory.CreateDirectory(run.Data);
            foreach (var file in Directory.GetFiles(bench.Data))
                File.Copy(file, Path.Combine(run.Data, Path.GetFileName(file)));
        }
    }
}
