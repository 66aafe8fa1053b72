namespace GenCdr.Training;

/// <summary>How the recommender stages are run: early stopping, validation sample, threads, caching.
/// The epochs of each stage are fields of <see cref="Recommender.RecommenderConfig"/>.</summary>
public sealed record TrainingSchedule
{
    /// <summary>Validation users per domain used for early stopping: a fixed random sample (same users every
    /// epoch), because decoding every validation user after every epoch would cost more than the training.
    /// Paper: the whole validation set. CPU default 300. The final test evaluation always uses every user.</summary>
    public int ValidationQueries { get; init; } = 300;

    /// <summary>Epochs without a better validation Recall@10 before a stage stops (its best epoch is kept).
    /// Paper: not stated. Default 4: with a 300-user sample the metric moves by ±0.01–0.02 between epochs by
    /// chance, and patience 2 stopped a backbone whose loss was still falling fast at half its final recall.</summary>
    public int Patience { get; init; } = 4;

    /// <summary>Early stopping only starts after this fraction of a stage's epochs: while a model trained from
    /// scratch is still learning fast, a sampled validation metric dips by chance (measured: a backbone stopped
    /// at half the recall it reached a few epochs later, twice, with the rule starting at 0.5). The best epoch is
    /// still the one kept. Default 0.75.</summary>
    public double EarlyStoppingAfter { get; init; } = 0.75;

    /// <summary>Folder for caches shared between runs (text embeddings). Default runs/cache.</summary>
    public string CacheDirectory { get; init; } = Path.Combine("runs", "cache");

    /// <summary>Throws a <see cref="GenCdrException"/> naming the first value out of its range.</summary>
    public void Validate()
    {
        if (ValidationQueries < 1) throw new GenCdrException($"schedule: ValidationQueries must be ≥ 1 (got {ValidationQueries})");
        if (Patience < 1) throw new GenCdrException($"schedule: Patience must be ≥ 1 (got {Patience})");
        if (EarlyStoppingAfter is < 0 or > 1) throw new GenCdrException($"schedule: EarlyStoppingAfter must be in [0, 1] (got {EarlyStoppingAfter})");
    }
}
