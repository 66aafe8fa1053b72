namespace GenCdr.Training;

/// <summary>How the recommender stages are run: early stopping, validation sample, threads, caching.
/// The epochs of each stage are fields of <see cref="Recommender.RecommenderConfig"/>.</summary>
public sealed record TrainingSchedule
{
    /// <summary>Validation users per domain used for early stopping: a fixed random sample (same users every
    /// epoch), because decoding every validation user after every epoch would cost more than the training.
    /// Paper: the whole validation set. CPU default <see cref="DefaultValidationQueries"/>. The final test evaluation
    /// always uses every user.</summary>
    public int ValidationQueries { get; init; } = DefaultValidationQueries;

    /// <summary>2,000 users per domain, the default of every model (SASRec and BERT4Rec too): the whole validation set
    /// of the built-in data set (≈ 2,050 per domain), and at Amazon's Recall@10 of 0.03–0.07 60–140 hits per domain.
    /// With the former 300, a built-in stage was decided by one or two hits: on the designed data set of issue #12 the
    /// universal and domain stages then kept their untrained start and the user router's epochs tied (docs/routers.md).
    /// Validating 2,000 users costs about a second per domain on the built-in data.</summary>
    public const int DefaultValidationQueries = 2000;

    /// <summary>Epochs without a better validation Recall@10 before a stage stops (its best epoch is kept).
    /// Paper: not stated. Default 4: with a 300-user sample (the former default) the metric moved by ±0.01–0.02 between epochs by
    /// chance, and patience 2 stopped a backbone whose loss was still falling fast at half its final recall.</summary>
    public int Patience { get; init; } = 4;

    /// <summary>Early stopping only starts after this fraction of a stage's epochs. Default 0, as SASRec's and BERT4Rec's:
    /// patience alone decides. It was 0.75 while stages validated on 300 users, whose Recall@10 dipped by chance while a
    /// backbone was still learning fast (measured then: a backbone stopped at half the recall it reached a few epochs
    /// later, twice, with the rule starting at 0.5). On 2,000 users the built-in backbone peaked at epoch 5 of 20 and 0.75
    /// made it train 10 more epochs for nothing (70 s of the main job); the Amazon backbones' curves never had 4 epochs
    /// without a new best before their last, so 0 trains them exactly as 0.75 did (docs/recipe.md).</summary>
    public double EarlyStoppingAfter { get; init; }

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
