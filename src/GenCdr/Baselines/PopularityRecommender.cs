using GenCdr.Data;
using GenCdr.Evaluation;

namespace GenCdr.Baselines;

/// <summary>
/// Recommends the most frequent items of the target domain, the same list for everyone. Counts come from
/// training events only (<see cref="PreparedDataset.TrainingHistory"/>), never from held-out events; ties
/// go to the lower item index (<see cref="TopK"/>).
/// </summary>
public sealed class PopularityRecommender : IRecommender
{
    readonly int[][] _counts;
    readonly int[][] _ranking;

    public string Name => "Popularity";

    public PopularityRecommender(PreparedDataset data)
    {
        _counts = data.Items.Select(items => new int[items.Count]).ToArray();
        for (int u = 0; u < data.UserCount; u++)
            foreach (var e in data.TrainingHistory(u))
                _counts[e.Domain][e.Item]++;
        _ranking = _counts.Select(c => TopK.Select(Array.ConvertAll(c, x => (float)x), c.Length)).ToArray();
    }

    /// <summary>Training-event count of item i of domain d.</summary>
    public int Count(int domain, int item) => _counts[domain][item];

    /// <summary>All items of a domain, most popular first.</summary>
    public IReadOnlyList<int> Ranking(int domain) => _ranking[domain];

    public IReadOnlyList<int[]> Recommend(IReadOnlyList<RecommendationQuery> queries, int k) =>
        queries.Select(q => _ranking[q.TargetDomain].Take(k).ToArray()).ToArray();
}
