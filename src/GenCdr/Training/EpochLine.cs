namespace GenCdr.Training;

/// <summary>The one log line of a training epoch, shared by the recommender stages and the neural baselines:
/// "NAME epoch E/N: loss L, validation R@10 R * (S s)", the star marking a new best epoch; epoch 0 (a stage's starting
/// model, validated before training) has no loss.</summary>
public static class EpochLine
{
    public static string Format(string name, int epoch, int epochs, double? loss, double? recallAt10, bool improved, double seconds) =>
        $"{name} epoch {epoch}/{epochs}: " + (loss is double l ? $"loss {l:F4}" : "before training") +
        (recallAt10 is double r ? $", validation R@10 {r:F4}{(improved ? " *" : "")}" : "") + $" ({seconds:F1}s)";
}
