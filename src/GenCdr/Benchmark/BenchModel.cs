using GenCdr.Evaluation;

namespace GenCdr.Benchmark;

/// <summary>
/// One model of a benchmark suite: it trains (or loads what an earlier run left in the bench folder) and
/// hands back a recommender that the runner evaluates on the test split. Adding a baseline to the benchmark
/// is adding one <see cref="IBenchModel"/> to <see cref="BenchModels.For"/>.
/// </summary>
public interface IBenchModel
{
    /// <summary>The name in tables and reports ("SASRec", "GenCDR w/o MTM"); also names its cache folder.</summary>
    string Name { get; }

    /// <summary>Trains the model on the context's data (training events only) and returns it ready to evaluate.</summary>
    TrainedBenchModel Train(BenchContext context);
}

/// <summary>What <see cref="IBenchModel.Train"/> returns.</summary>
public sealed class TrainedBenchModel(IRecommender recommender) : IDisposable
{
    public IRecommender Recommender { get; } = recommender;

    /// <summary>Training seconds as the model measured them; null: the runner's wall clock around
    /// <see cref="IBenchModel.Train"/> is used. (GenCDR reads them from its run folder, so that a tokenizer shared
    /// with another variant is still counted.)</summary>
    public double? TrainSeconds { get; init; }

    /// <summary>Training seconds spent by earlier processes whose checkpoint this one resumed (their epochs' wall time,
    /// validation included), added to <see cref="TrainSeconds"/>.</summary>
    public double EarlierTrainSeconds { get; init; }

    /// <summary>Training stage → mean loss per epoch (<see cref="ModelRunInfo.LossCurves"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<LossPoint>> LossCurves { get; init; } =
        new Dictionary<string, IReadOnlyList<LossPoint>>();

    /// <summary>A sentence for the report about this model, read after evaluation (e.g. the invalid-SID rate of
    /// an unconstrained search); null for none.</summary>
    public Func<string?> Note { get; init; } = () => null;

    /// <summary>Native resources (TorchSharp modules) to free once the model is evaluated.</summary>
    public IDisposable? Owned { get; init; }

    public void Dispose() => Owned?.Dispose();
}
