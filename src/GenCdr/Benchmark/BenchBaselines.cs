using System.Text.Json;
using GenCdr.Baselines;
using GenCdr.Data;

namespace GenCdr.Benchmark;

/// <summary>Most popular items of the target domain (training-event counts).</summary>
public sealed class PopularityBenchModel : IBenchModel
{
    public string Name => "Popularity";

    public TrainedBenchModel Train(BenchContext context)
    {
        context.Training(Name, "item counts");
        return new TrainedBenchModel(new PopularityRecommender(context.Data));
    }
}

/// <summary>The user's recent items of the target domain, then the most popular ones.</summary>
public sealed class RecentSameDomainBenchModel : IBenchModel
{
    public string Name => "RecentSameDomain";

    public TrainedBenchModel Train(BenchContext context)
    {
        context.Training(Name, "item counts");
        return new TrainedBenchModel(new RecentSameDomainRecommender(context.Data));
    }
}

/// <summary>SASRec (Kang &amp; McAuley 2018) with the suite's <see cref="BenchSuite.SasRec"/> configuration; its
/// weights and training report are kept in its model folder.</summary>
public sealed class SasRecBenchModel : IBenchModel
{
    public string Name => "SASRec";

    public TrainedBenchModel Train(BenchContext context)
    {
        var config = context.Suite.SasRec;
        config.Validate();
        context.Training(Name, $"at most {config.MaxEpochs} epochs");
        var (model, report) = new SasRecTrainer(config).Train(context.Data, epoch =>
            context.Log($"{Name} epoch {epoch.Epoch}/{config.MaxEpochs}: loss {epoch.Loss:F4}, validation R@10 " +
                        $"{epoch.ValidationRecallAt10:F4}{(epoch.Improved ? " *" : "")} ({epoch.Seconds:F1}s)"));
        string folder = context.Folder.ModelFolder(Name);
        Directory.CreateDirectory(folder);
        model.Save(Path.Combine(folder, "sasrec.bin"));
        AtomicFile.WriteAllText(Path.Combine(folder, "training-report.json"),
            JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        return new TrainedBenchModel(model)
        {
            LossCurves = new Dictionary<string, IReadOnlyList<LossPoint>>
            {
                ["SASRec"] = report.Epochs.Select(e => new LossPoint(e.Epoch, e.Loss)).ToList(),
            },
            Note = () => $"SASRec: best validation Recall@10 {report.BestValidationRecallAt10:F4} at epoch {report.BestEpoch} of {report.Epochs.Count}.",
            Owned = model.Network,
        };
    }
}
