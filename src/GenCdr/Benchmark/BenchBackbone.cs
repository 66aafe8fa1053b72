using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GenCdr.Data;
using GenCdr.Recommender;
using GenCdr.Training;

namespace GenCdr.Benchmark;

/// <summary>
/// Backbones shared between GenCDR variants. Our stage 0 trains the backbone alone, and nothing in it depends on
/// the switches of the later stages (universal experts, domain experts, the MoE gate): the model is built with
/// every parameter and the same seed whatever the switches say. So variants with the same tokenizer and the same
/// backbone settings would train the same backbone; it is trained once, in backbones/KEY/, and each variant
/// starts from it: its weights and training state (backbone stage completed, with its history) are copied into
/// the variant's recommender folder, and the pipeline's training resumes at the next stage. This also mirrors the
/// paper, whose variants all start from one pre-trained LLM.
/// </summary>
public static class BenchBackbone
{
    /// <summary>A hash of the tokenization key and of everything that shapes the backbone stage: the recommender
    /// settings with the later stages' switches set to their defaults, the schedule and the evaluation batch.</summary>
    public static string Key(RunConfig config)
    {
        var recommender = config.Recommender with
        {
            UseUniversalExperts = true, UseDomainExperts = true, ExpertGate = ExpertGate.MoE, DomainPassHistory = HistoryView.Mixed,
            UniversalEpochs = 0, DomainEpochs = 0, RouterEpochs = 0,
        };
        // the router stage's selection and targets do not shape stage 0 either; they are left out rather than reset, so
        // that backbones cached before the fields existed keep their key
        var recommenderJson = JsonSerializer.SerializeToNode(recommender, RunConfig.Json)!.AsObject();
        recommenderJson.Remove(nameof(RecommenderConfig.RouterSelection));
        recommenderJson.Remove(nameof(RecommenderConfig.RouterTargets));
        // the backbone's history view does shape stage 0; its default is left out, so that backbones cached before the field
        // existed keep their key
        if (config.Recommender.BackboneHistory == HistoryView.Mixed) recommenderJson.Remove(nameof(RecommenderConfig.BackboneHistory));
        string json = JsonSerializer.Serialize(new
        {
            Tokenization = BenchTokenization.Key(config), Recommender = recommenderJson, config.Schedule, config.Evaluation.BatchSize,
        }, RunConfig.Json);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16];
    }

    /// <summary>Starts <paramref name="target"/>'s recommender training from the shared backbone (training it
    /// first if no variant has); nothing happens if the target has already begun or finished training.</summary>
    public static void Provide(BenchContext context, string model, RunConfig config, SemanticIds sids, RunFolder target)
    {
        string targetState = Path.Combine(target.Recommender, RecommenderTraining.StateFile);
        // a pretrained backbone has no stage 0 to share
        if (config.Recommender.PretrainedBackbone is not null || target.IsTrained || File.Exists(targetState)) return;
        string shared = Path.Combine(context.Folder.Backbones, Key(config));
        string weights = Path.Combine(shared, RecommenderTraining.FinalWeights);
        if (!File.Exists(weights))
        {
            context.Training(model, "backbone");
            var backboneOnly = config with { Recommender = config.Recommender with { UseUniversalExperts = false, UseDomainExperts = false } };
            var pipeline = context.PipelineFor(model);
            using var backbone = new RecommenderTraining(context.Data, sids, backboneOnly, shared, pipeline?.Log, pipeline?.Recommender).Run();
        }
        else context.Log($"{model}: backbone shared from {Path.GetRelativePath(context.Folder.Root, shared)}");
        // the checkpoint the shared state names (the backbone's best epoch), then, last, the state file, which makes the
        // pipeline resume after the backbone stage
        string sharedState = Path.Combine(shared, RecommenderTraining.StateFile);
        string checkpoint = TrainingState.Load(sharedState).Checkpoint
            ?? throw new GenCdrException($"{sharedState}: the shared backbone's state names no checkpoint; delete {shared} to train it again");
        string copy = RecommenderTraining.CheckpointWeights(target.Recommender, checkpoint);
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        AtomicFile.Copy(RecommenderTraining.CheckpointWeights(shared, checkpoint), copy);
        AtomicFile.Copy(sharedState, targetState);
    }
}
