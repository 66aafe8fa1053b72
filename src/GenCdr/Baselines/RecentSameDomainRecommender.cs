using GenCdr.Data;
using GenCdr.Evaluation;

namespace GenCdr.Baselines;

/// <summary>
/// A trivial sequential baseline: the user's most recent distinct items of the target domain, most recent
/// first, then the most popular items not already listed. It measures how much "people buy again what they
/// just bought" explains, and adds no learned parameters beyond popularity counts from training events.
/// </summary>
public sealed class RecentSameDomainRecommender(PopularityRecommender popularity) : IRecommender
{
    public RecentSameDomainRecommender(PreparedDataset data) : this(new PopularityRecommender(data)) { }

    public string Name => "RecentSameDomain";

    public IReadOnlyList<int[]> Recommend(IReadOnlyList<RecommendationQuery> queries, int k) =>
        queries.Select(q => RecommendOne(q, k)).ToArray();

    int[] RecommendOne(RecommendationQuery query, int k)
    {
        var list = new List<int>(k);
        var seen = new HashSet<int>();
        for (int p = query.History.Count - 1; p >= 0 && list.Count < k; p--)
        {
            var e = query.History[p];
            if (e.Domain == query.TargetDomain && seen.Add(e.Item)) list.Add(e.Item);
        }
        foreach (int item in popularity.Ranking(query.TargetDomain))
        {
            if (list.Count >= k) break;
            if (seen.Add(item)) list.Add(item);
        }
        return list.ToArray();
    }
}
