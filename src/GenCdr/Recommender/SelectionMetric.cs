namespace GenCdr.Recommender;

/// <summary>The validation quantity that picks a stage's kept epoch (its start included) under the one
/// <see cref="Training.StoppingRule"/>: higher is better for both.</summary>
public enum SelectionMetric
{
    /// <summary>Recall@10 over the validation sample (paper §4.1: checkpoints chosen by validation Recall@10). Every
    /// model and every stage but the user router's.</summary>
    Recall10,
    /// <summary>The mean log-probability of the held-out item under the stage's scoring
    /// (<see cref="Evaluation.Evaluator.EvaluateLikelihood"/>; item layout). The user router only re-weighs two frozen
    /// distributions (paper §2c) and trains on exactly this likelihood; its changes to the ranking are a few targets
    /// crossing rank 10, which a 2,000-user Recall@10 cannot tell from noise, so under Recall@10 whether a trained router
    /// was kept was decided by the sample (docs/routers.md).</summary>
    LogLikelihood,
}
