using GenCdr.Training;
using GenCdr.Evaluation;
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

/// <summary>SASRec (Kang &amp; McAuley 2018) with one of the suite's configurations (<see cref="BenchSuite.SasRec"/>:
/// full-softmax cross-entropy; <see cref="BenchSuite.SasRecOriginal"/>: the paper's sampled BCE); its weights and
/// training report are kept in its model folder.</summary>
public sealed class SasRecBenchModel(string name, Func<BenchSuite, SasRecConfig> configOf) : IBenchModel
{
    public string Name => name;

    public TrainedBenchModel Train(BenchContext context)
    {
        var config = configOf(context.Suite);
        config.Validate();
        // text item vectors read the suite's item embeddings (the bench's cache, shared with GenCDR's tokenizers)
        var itemText = config.ItemVectors != ItemVectorSource.Id
            ? ItemEmbedder.Embed(context.Data, context.Suite.GenCdr.Text, context.Folder.Cache, context.Log)
            : null;
        context.Training(Name, $"at most {config.MaxEpochs} epochs ({config.Loss})");
        var (model, report) = new SasRecTrainer(config).Train(context.Data, epoch =>
            NeuralBaseline.LogEpoch(context, Name, epoch.Epoch, config.MaxEpochs, epoch.Loss, epoch.ValidationRecallAt10, epoch.Improved, epoch.Seconds),
            itemText, context.Folder.TrainingCheckpoint(Name), line => context.Log($"{Name}: {line}"));
        return NeuralBaseline.Finish(context, Name, model, model.Network, path => model.Save(path), report,
            report.Epochs.Select(e => new LossPoint(e.Epoch, e.Loss)), report.BestValidationRecallAt10, report.BestEpoch, report.Epochs.Count,
            report.ResumedAfterEpoch, report.Epochs.Select(e => e.Seconds));
    }
}

public sealed class Bert4RecBenchModel : IBenchModel
{
    public string Name => "BERT4Rec";

    public TrainedBenchModel Train(BenchContext context)
    {
        var config = context.Suite.Bert4Rec;
        context.Training(Name, $"at most {config.MaxEpochs} epochs");
        var (model, report) = new Bert4RecTrainer(config).Train(context.Data, epoch =>
            NeuralBaseline.LogEpoch(context, Name, epoch.Epoch, config.MaxEpochs, epoch.Loss, epoch.ValidationRecallAt10, epoch.Improved, epoch.Seconds),
            context.Folder.TrainingCheckpoint(Name), line => context.Log($"{Name}: {line}"));
        return NeuralBaseline.Finish(context, Name, model, model.Network, path => model.Network.save(path), report,
            report.Epochs.Select(e => new LossPoint(e.Epoch, e.Loss)), report.BestValidationRecallAt10, report.BestEpoch, report.Epochs.Count,
            report.ResumedAfterEpoch, report.Epochs.Select(e => e.Seconds));
    }
}

/// <summary>What the neural baselines share in the bench: epoch log lines, and saving weights, the training
/// report and the loss curve into the model's folder.</summary>
static class NeuralBaseline
{
    public static void LogEpoch(BenchContext context, string name, int epoch, int epochs, double loss, double? recall, bool improved, double seconds) =>
        context.Log(EpochLine.Format(name, epoch, epochs, loss, recall, improved, seconds));

    /// <param name="resumedAfter">the epochs an earlier process had trained before this one resumed its checkpoint (0: none)</param>
    /// <param name="epochSeconds">every epoch's wall time, the earlier process's first</param>
    public static TrainedBenchModel Finish<TReport>(BenchContext context, string name, IRecommender model, IDisposable network,
        Action<string> saveWeights, TReport report, IEnumerable<LossPoint> losses, double bestRecall, int bestEpoch, int epochs,
        int resumedAfter, IEnumerable<double> epochSeconds)
    {
        string folder = context.Folder.ModelFolder(name);
        Directory.CreateDirectory(folder);
        saveWeights(Path.Combine(folder, name.ToLowerInvariant() + ".bin"));
        AtomicFile.WriteAllText(Path.Combine(folder, "training-report.json"),
            JsonSerializer.Serialize(report, BenchJson.Options));
        return new TrainedBenchModel(model)
        {
            LossCurves = new Dictionary<string, IReadOnlyList<LossPoint>> { [name] = losses.ToList() },
            Note = () => $"{name}: best validation Recall@10 {bestRecall:F4} at epoch {bestEpoch} of {epochs}." +
                         (resumedAfter > 0 ? $" Resumed after epoch {resumedAfter} from its training checkpoint." : ""),
            EarlierTrainSeconds = epochSeconds.Take(resumedAfter).Sum(),
            Owned = network,
        };
    }
}
