namespace GenCdr.Baselines;

/// <summary>What BERT4Rec training did: every epoch, the epoch whose weights were kept, the amount of training
/// data, the wall time and the process's peak resident memory at the end of training (a high-water mark of
/// the whole process, so it includes whatever was loaded before).</summary>
public sealed record Bert4RecTrainingReport(IReadOnlyList<Bert4RecEpoch> Epochs, int BestEpoch, double BestValidationRecallAt10,
    int TrainingWindows, int TrainingEvents, long Parameters, double WallSeconds, long PeakWorkingSetBytes)
{
    /// <summary>The epochs an earlier, interrupted process had trained (0: none; see <see cref="TrainerCheckpoint{TEpoch}"/>).</summary>
    public int ResumedAfterEpoch { get; init; }
}
