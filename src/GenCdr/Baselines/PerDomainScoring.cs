using GenCdr.Evaluation;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// Ranking shared by the SASRec and BERT4Rec recommenders: queries are grouped by target domain (each group is
/// one batch, since the scores cover that domain's items only), the model scores every item of the domain for
/// each query of the group, and <see cref="TopK"/> picks the top k (ties: lower item index).
/// </summary>
public static class PerDomainScoring
{
    /// <summary>The top-<paramref name="k"/> item lists of <paramref name="queries"/>, in query order.
    /// <paramref name="scoreGroup"/> gets a target domain and that domain's queries and returns their scores
    /// [N, items of the domain]; it runs without gradients, inside a dispose scope per group.</summary>
    public static IReadOnlyList<int[]> Recommend(IReadOnlyList<RecommendationQuery> queries, int k,
        Func<int, IReadOnlyList<RecommendationQuery>, Tensor> scoreGroup)
    {
        var results = new int[queries.Count][];
        using var noGrad = no_grad();
        foreach (var group in Enumerable.Range(0, queries.Count).GroupBy(i => queries[i].TargetDomain))
        {
            using var scope = NewDisposeScope();
            var indices = group.ToArray();
            var scores = scoreGroup(group.Key, indices.Select(i => queries[i]).ToList()).contiguous();
            int n = (int)scores.shape[1];
            var flat = scores.data<float>().ToArray();
            for (int r = 0; r < indices.Length; r++)
                results[indices[r]] = TopK.Select(flat.AsSpan(r * n, n), k);
        }
        return results;
    }
}
