namespace GenCdr.Baselines;

/// <summary>One SASRec epoch: mean training loss per step, the validation Recall@10 (mean over domains, on
/// the fixed validation sample) and whether it was the best so far.</summary>
public sealed record SasRecEpoch(int Epoch, double Loss, double ValidationRecallAt10, double Seconds, bool Improved);

/// <summary>What SASRec training did: every epoch, and the epoch whose weights were kept.</summary>
public sealed record SasRecTrainingReport(IReadOnlyList<SasRecEpoch> Epochs, int BestEpoch, double BestValidationRecallAt10,
    int TrainingWindows, int TrainingTargets)
{
    /// <summary>The epochs an earlier, interrupted process had trained (0: none; see <see cref="TrainerCheckpoint{TEpoch}"/>).</summary>
    public int ResumedAfterEpoch { get; init; }
}
