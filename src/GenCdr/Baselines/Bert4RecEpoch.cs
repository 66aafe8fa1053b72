namespace GenCdr.Baselines;

/// <summary>One BERT4Rec epoch: mean training loss per step, the validation Recall@10 (mean over domains, on the
/// fixed validation sample; null when the epoch was not validated) and whether it was the best so far.</summary>
public sealed record Bert4RecEpoch(int Epoch, double Loss, double? ValidationRecallAt10, double Seconds, bool Improved);
