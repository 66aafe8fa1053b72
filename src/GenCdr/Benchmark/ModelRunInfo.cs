namespace GenCdr.Benchmark;

/// <summary>One point of a training-loss curve: the (possibly fractional) epoch and the mean loss there.</summary>
public sealed record LossPoint(double Epoch, double Loss);

/// <summary>
/// What a benchmark run measured about one model besides its accuracy: the cost of training it, its memory,
/// its decoding speed, and its training-loss curves (one per training stage, e.g. "rq-vae", "universal
/// experts"). JSON-serialisable; written into results.json next to the metrics.
/// </summary>
public sealed record ModelRunInfo
{
    /// <summary>Wall-clock seconds spent training (all stages); 0 for a model without training.</summary>
    public double TrainSeconds { get; init; }

    /// <summary>Peak resident memory of the process while the model was trained and evaluated, in MB;
    /// null if not measured.</summary>
    public double? PeakMemoryMb { get; init; }

    /// <summary>Users decoded (recommended for) per second, measured by the caller (e.g. a dedicated decode
    /// timing); null if not measured. The report also shows the evaluator's own users/s next to it.</summary>
    public double? DecodeUsersPerSecond { get; init; }

    /// <summary>Stage name → loss per epoch, in training order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<LossPoint>> LossCurves { get; init; } =
        new Dictionary<string, IReadOnlyList<LossPoint>>();
}
