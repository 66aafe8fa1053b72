using GenCdr.Data;

namespace GenCdr.Evaluation;

/// <summary>A request for recommendations: a user's merged cross-domain history up to a point, and the
/// domain to recommend from.</summary>
public sealed record RecommendationQuery(int User, IReadOnlyList<Event> History, int TargetDomain);

/// <summary>
/// The contract every model (GenCDR, the baselines) implements for evaluation and serving: for each query,
/// the top-k items of the target domain, best first, as item indices of that domain. Batched, because
/// transformer models are far faster per user in batches. A model may return fewer than k items
/// (e.g. a constrained beam that found fewer valid items); missing ranks count as misses.
/// </summary>
public interface IRecommender
{
    string Name { get; }
    IReadOnlyList<int[]> Recommend(IReadOnlyList<RecommendationQuery> queries, int k);
}

/// <summary>What a model says of one query's held-out item: its log-probability and its 0-based rank in the model's
/// ranking (the items scoring higher, and those scoring equal with a lower index).</summary>
public readonly record struct TargetScore(double LogProbability, int Rank);

/// <summary>
/// A model that gives the probability of any item, not only a top-k list: for each query, log P(target | history, d)
/// of the given item under the model's full distribution, and the item's rank in the list it would recommend. One pass
/// gives both the likelihood and Recall@K (<see cref="Evaluator.EvaluateLikelihood"/>), where a ranking metric on a
/// sample is too coarse to select on.
/// </summary>
public interface ITargetLikelihood
{
    TargetScore[] ScoreTargets(IReadOnlyList<RecommendationQuery> queries, IReadOnlyList<int> targets);
}
