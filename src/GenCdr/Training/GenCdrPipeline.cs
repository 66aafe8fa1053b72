using TorchSharp;
using System.Text.Json;
using GenCdr.Data;
using GenCdr.Decoding;
using GenCdr.Evaluation;
using GenCdr.Recommender;
using GenCdr.Tokenization;

namespace GenCdr.Training;

/// <summary>Callbacks through which the pipeline reports to a console (or a test): log lines and progress.</summary>
public sealed class PipelineObserver
{
    public Action<string>? Log { get; init; }
    /// <summary>Text encoding, fraction done.</summary>
    public IProgress<double>? Embedding { get; init; }
    public Action<TrainingProgress>? Tokenizer { get; init; }
    public Action<StageProgress>? Recommender { get; init; }
    /// <summary>Evaluation, fraction done.</summary>
    public IProgress<double>? Evaluation { get; init; }
}

/// <summary>
/// GenCDR end to end, one step per method, each reading and writing the run folder so that a step that is
/// already done is loaded instead of recomputed (a re-run or a resumed run only does what is missing):
/// data → item embeddings → tokenization (paper §1) → recommender stages (§2) → constrained decoding and
/// evaluation (§3, §4.1).
/// </summary>
public static class GenCdrPipeline
{
    public static PreparedDataset Data(RunConfig config, RunFolder folder, PipelineObserver? observer = null)
    {
        if (File.Exists(Path.Combine(folder.Data, PreparedDatasetStore.ManifestFile)))
            return PreparedDatasetStore.Load(folder.Data);
        var data = DatasetSource.Load(config.Data);
        PreparedDatasetStore.Save(data, folder.Data, config.Data.Preparation);
        observer?.Log?.Invoke(DatasetStatistics.Compute(data).Summary());
        return data;
    }

    /// <summary>Paper §1: item text → embedding → RQ-VAE (+ MTM) → domain adapters + item router → unique SIDs.</summary>
    public static (ItemTokenizer Tokenizer, SemanticIdTable Table) Tokenize(PreparedDataset data, RunConfig config,
        RunFolder folder, PipelineObserver? observer = null)
    {
        var device = Devices.Require(config.Device);
        if (folder.IsTokenized)
            return (ItemTokenizer.Load(folder.Tokenizer).to(device), SemanticIdTable.Load(folder.SemanticIds));
        var embeddings = ItemEmbedder.Embed(data, config.Text, config.Schedule.CacheDirectory, observer?.Log, observer?.Embedding);
        var domains = data.DomainNames.Select((name, d) =>
            new DomainItems(name, data.Items[d].Select(i => i.Id).ToArray(), embeddings[d])
            {
                Transitions = config.Tokenizer.AdapterCollaborativeWeight > 0 ? TrainingTransitions.WithinDomain(data, d) : [],
            }).ToArray();
        var tokenizerConfig = config.Tokenizer with { InputDim = embeddings.SelectMany(e => e).FirstOrDefault()?.Length ?? config.Tokenizer.InputDim };
        var outcome = TokenizationPipeline.Run(tokenizerConfig, domains, observer?.Tokenizer, device);
        outcome.Tokenizer.Save(folder.Tokenizer);
        AtomicFile.WriteAllText(folder.TokenizationReport, JsonSerializer.Serialize(outcome.Report, RunConfig.Json));
        AtomicFile.WriteAllText(folder.TokenizationText, outcome.Report.ToText());
        outcome.Table.Save(folder.SemanticIds); // last: its presence marks the step as done
        observer?.Log?.Invoke(outcome.Report.ToText());
        return (outcome.Tokenizer, outcome.Table);
    }

    /// <summary>Paper §2 (after our stage 0): the recommender stages with early stopping, resumable.</summary>
    public static GenerativeRecommender Train(PreparedDataset data, SemanticIds sids, RunConfig config, RunFolder folder,
        PipelineObserver? observer = null)
    {
        if (folder.IsTrained) return LoadModel(config, sids, folder);
        return new RecommenderTraining(data, sids, config, folder.Recommender, observer?.Log, observer?.Recommender).Run();
    }

    /// <summary>The trained recommender of a run folder, on <see cref="RunConfig.Device"/>.</summary>
    public static GenerativeRecommender LoadModel(RunConfig config, SemanticIds sids, RunFolder folder)
    {
        var model = GenerativeRecommender.Create(config.Recommender, sids.Vocabulary).to(Devices.Require(config.Device));
        model.LoadFrom(folder.RecommenderWeights);
        model.eval();
        return model;
    }

    /// <summary>The trained GenCDR as a recommender, scoring as its configuration says (ablations switch passes off).</summary>
    public static GenCdrRecommender Recommender(GenerativeRecommender model, SemanticIds sids, string name = "GenCDR") =>
        sids.Recommender(model, name);

    /// <summary>Everything a trained run needs at inference, loaded from its folder (no training data source needed).</summary>
    public static (PreparedDataset Data, SemanticIds Sids, GenCdrRecommender Model) Load(RunFolder folder, RunConfig config)
    {
        if (!folder.IsTrained) throw new GenCdrException($"{folder.Root}: no trained recommender in this run folder (run `gencdr train` first)");
        var data = PreparedDatasetStore.Load(folder.Data);
        var sids = SemanticIds.For(data, SemanticIdTable.Load(folder.SemanticIds), config);
        return (data, sids, Recommender(LoadModel(config, sids, folder), sids));
    }
}
