namespace GenCdr.Training;

/// <summary>The one log line of a training epoch, shared by the recommender stages and the neural baselines:
/// "NAME epoch E/N: loss L, validation R@10 R * (S s)", the star marking a new best epoch; epoch 0 (a stage's starting
/// model, validated before training) has no loss.</summary>
public static class EpochLine
{
    /// <param name="logLikelihood">the validation log-likelihood of a stage selected on it: the best-so-far mark then
    /// follows it instead of Recall@10</param>
    public static string Format(string name, int epoch, int epochs, double? loss, double? recallAt10, bool improved, double seconds,
        double? logLikelihood = null) =>
        $"{name} epoch {epoch}/{epochs}: " + (loss is double l ? $"loss {l:F4}" : "before training") +
        (recallAt10 is double r ? $", validation R@10 {r:F4}{(improved && logLikelihood is null ? " *" : "")}" : "") +
        (logLikelihood is double ll ? $", log-likelihood {ll:F4}{(improved ? " *" : "")}" : "") + $" ({seconds:F1}s)";
}
