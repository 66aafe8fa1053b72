using GenCdr.Training;

namespace GenCdr.Benchmark;

/// <summary>
/// A model of the GenCDR family trained by our pipeline: the full model, a Table-3 ablation, or TIGER — each a
/// change of the suite's GenCDR configuration (same seeds everywhere), trained in its own run folder.
/// </summary>
public sealed class GenCdrBenchModel(string name, Func<RunConfig, RunConfig> configure) : IBenchModel
{
    public string Name { get; } = name;

    /// <summary>The configuration this model trains with, from the suite's.</summary>
    public RunConfig Config(BenchContext context) => configure(BenchGenCdrRun.BaseConfig(context));

    public TrainedBenchModel Train(BenchContext context)
    {
        var (model, sids, folder) = BenchGenCdrRun.Trained(context, Name, Config(context));
        return new TrainedBenchModel(GenCdrPipeline.Recommender(model, sids, Name))
        {
            TrainSeconds = BenchGenCdrRun.TrainSeconds(folder),
            LossCurves = BenchGenCdrRun.LossCurves(folder),
            Owned = model,
        };
    }
}

/// <summary>
/// "w/o Prefix Tree" (paper Table 3): the trained weights of another model (the full GenCDR; trained first if it
/// is not yet), decoded by an unconstrained beam search. No training of its own (training time 0); the report
/// gives the share of generated SIDs that were not items of the target domain (they are dropped from the lists).
/// </summary>
public sealed class UnconstrainedGenCdrBenchModel(string name, GenCdrBenchModel trained) : IBenchModel
{
    public string Name { get; } = name;

    public TrainedBenchModel Train(BenchContext context)
    {
        var config = trained.Config(context);
        var (model, sids, folder) = BenchGenCdrRun.Trained(context, trained.Name, config);
        model.Dispose();
        var unconstrained = GenCdrPipeline.LoadModel(config with { Recommender = config.Recommender with { UsePrefixTree = false } }, sids, folder);
        var recommender = GenCdrPipeline.Recommender(unconstrained, sids, Name);
        return new TrainedBenchModel(recommender)
        {
            TrainSeconds = 0,
            Owned = unconstrained,
            Note = () => recommender.Generated == 0 ? null
                : $"{Name}: the weights of {trained.Name} decoded without the prefix tree; {recommender.Invalid:N0} of " +
                  $"{recommender.Generated:N0} generated SIDs ({(double)recommender.Invalid / recommender.Generated:P1}) " +
                  "were not items of the target domain and were dropped from the ranked lists.",
        };
    }
}
