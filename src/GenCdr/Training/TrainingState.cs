using System.Text.Json;
using GenCdr.Data;

namespace GenCdr.Training;

/// <summary>One epoch of one stage, as logged and checkpointed. Epoch 0 is a later stage's starting model, validated
/// before any training (no loss). <paramref name="ValidationLogLikelihood"/>: only for a stage selected on it
/// (<see cref="Recommender.SelectionMetric.LogLikelihood"/>).</summary>
public sealed record EpochRecord(string Stage, int Epoch, double? Loss, double ValidationRecall10, double Seconds,
    double? ValidationLogLikelihood = null);

/// <summary>
/// Where recommender training stands, written atomically after every epoch and as the last step of it, so that it is
/// the commit record of the run: the completed stages, the current stage's epochs and best so far, and the names of
/// the checkpoints to resume from (<see cref="RecommenderTraining"/> writes the files first; files this state does not
/// name, such as those of an epoch killed before its state was written, are never read and are deleted).
/// </summary>
public sealed class TrainingState
{
    public List<string> CompletedStages { get; set; } = [];
    public string? CurrentStage { get; set; }
    public int EpochsDone { get; set; }
    /// <summary>The current stage's best validation score so far (its <see cref="Recommender.StagePlan.Selection"/>);
    /// null before anything of the stage was validated.</summary>
    public double? BestScore { get; set; }
    public int BestEpoch { get; set; }
    /// <summary>The checkpoint holding the model as it stands now (and, while a stage runs, its optimizer state);
    /// null before the first epoch.</summary>
    public string? Checkpoint { get; set; }
    /// <summary>The checkpoint of the current stage's best epoch so far (epoch 0: the model the stage started from);
    /// null before anything of the stage was validated.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? BestCheckpoint => CurrentStage is { } stage && BestScore is not null ? CheckpointName(stage, BestEpoch) : null;

    /// <summary>The name of the checkpoint written after epoch <paramref name="epoch"/> of stage <paramref name="stage"/>.</summary>
    public static string CheckpointName(string stage, int epoch) => $"{stage}-{epoch}";
    public List<EpochRecord> History { get; set; } = [];

    public static TrainingState Load(string path)
    {
        if (!File.Exists(path)) return new TrainingState();
        try { return JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path)) ?? new TrainingState(); }
        catch (JsonException e) { throw new GenCdrException($"{path}: unreadable training state ({e.Message}); delete it to start training afresh"); }
    }

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));
}
