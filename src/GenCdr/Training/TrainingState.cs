using System.Text.Json;
using GenCdr.Data;

namespace GenCdr.Training;

/// <summary>One epoch of one stage, as logged and checkpointed.</summary>
public sealed record EpochRecord(string Stage, int Epoch, double Loss, double ValidationRecall10, double Seconds);

/// <summary>
/// Where recommender training stands, saved after every epoch next to the weights so that an interrupted
/// run resumes where it stopped: the completed stages, the current stage's epochs and its best so far.
/// (Optimizer moments are not saved: a resumed stage restarts AdamW's statistics.)
/// </summary>
public sealed class TrainingState
{
    public List<string> CompletedStages { get; set; } = [];
    public string? CurrentStage { get; set; }
    public int EpochsDone { get; set; }
    public double BestRecall10 { get; set; } = -1;
    public int BestEpoch { get; set; }
    public List<EpochRecord> History { get; set; } = [];

    public static TrainingState Load(string path)
    {
        if (!File.Exists(path)) return new TrainingState();
        try { return JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path)) ?? new TrainingState(); }
        catch (JsonException e) { throw new GenCdrException($"{path}: unreadable training state ({e.Message}); delete it to start training afresh"); }
    }

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));
}
