namespace GenCdr.Recommender;

/// <summary>The targets the user router of stage 4b is fitted on (<see cref="RecommenderConfig.RouterTargets"/>).</summary>
public enum RouterTargets
{
    /// <summary>Every domain-d position of the training sequences (paper §2c, §4: stage 4b on the training data). Both frozen
    /// passes were fitted on exactly these targets, so the router learns which pass fits a training position better, which
    /// need not be the pass that predicts an unseen event better.</summary>
    TrainingEvents,
    /// <summary>Held-out events, as a stacked mixture is fitted: the domain-d validation event of half of the validation users
    /// (even user index), predicted from their training events before it; the stage is then selected on the other half
    /// (odd user index), so no user's event both fits and selects it. The test split is never read.</summary>
    HeldOutEvents,
}
