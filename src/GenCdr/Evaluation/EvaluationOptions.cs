namespace GenCdr.Evaluation;

/// <summary>How a model is evaluated. JSON-serialisable; the progress callback is an argument of
/// <see cref="Evaluator.Evaluate"/>, not an option.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Cut-offs of Recall@K and NDCG@K. Paper: 5 and 10.</summary>
    public IReadOnlyList<int> Ks { get; init; } = [5, 10];
    /// <summary>Queries passed to the model per call (transformers are faster per user in batches). Default 256.</summary>
    public int BatchSize { get; init; } = 256;
    /// <summary>If set, at most this many held-out events per domain are evaluated: a fixed random sample
    /// (same seed → same users), for cheap validation during early stopping. Null: every eligible user.</summary>
    public int? MaxQueries { get; init; }
    /// <summary>Seed of the <see cref="MaxQueries"/> sample.</summary>
    public int SampleSeed { get; init; } = 1234;
    /// <summary>Domains to evaluate by name; null: all domains.</summary>
    public IReadOnlyList<string>? Domains { get; init; }

    /// <summary>Throws a <see cref="GenCdrException"/> naming the first value out of its range.</summary>
    public void Validate()
    {
        if (Ks.Count == 0 || Ks.Any(k => k < 1)) throw new GenCdrException("evaluation: every K must be ≥ 1");
        if (BatchSize < 1) throw new GenCdrException($"evaluation: BatchSize must be ≥ 1 (got {BatchSize})");
        if (MaxQueries is < 1) throw new GenCdrException($"evaluation: MaxQueries must be ≥ 1 when set (got {MaxQueries})");
    }
}

/// <summary>A split of the users by the parity of their index (<see cref="Evaluator.Evaluate"/>'s users): the user router
/// fitted on held-out events is fitted on the even half and selected on the odd half
/// (<see cref="Recommender.RouterTargets.HeldOutEvents"/>). Not an option of a configuration: a run's evaluation always
/// covers every user.</summary>
public enum UserHalf { All, Even, Odd }
