namespace GenCdr.Evaluation;

/// <summary>
/// Ranking metrics for one held-out item per query (paper §4.1: leave-last-out, full ranking).
/// The ranking is the model's returned list, in order: position 0 is the best. Ties are the model's
/// business — a score-based model resolves them with <see cref="TopK.Select(ReadOnlySpan{float}, int)"/>
/// (lower item index first) — so the metrics never see a tie. A list shorter than K simply has fewer
/// chances; an item listed only beyond K counts as absent.
/// </summary>
public static class RankingMetrics
{
    /// <summary>The 0-based rank of the target among the first k entries, or -1 if it is not there.</summary>
    public static int RankOf(IReadOnlyList<int> ranked, int target, int k)
    {
        int n = Math.Min(k, ranked.Count);
        for (int r = 0; r < n; r++)
            if (ranked[r] == target) return r;
        return -1;
    }

    /// <summary>Recall@K with a single held-out item: 1 if it is in the top k, else 0 (the hit rate).</summary>
    public static double RecallAtK(IReadOnlyList<int> ranked, int target, int k) =>
        RankOf(ranked, target, k) >= 0 ? 1.0 : 0.0;

    /// <summary>NDCG@K with a single relevant item: 1 / log2(rank + 2) for its 0-based rank in the top k,
    /// 0 if absent (the ideal DCG is 1, so no normalisation is left).</summary>
    public static double NdcgAtK(IReadOnlyList<int> ranked, int target, int k)
    {
        int rank = RankOf(ranked, target, k);
        return rank < 0 ? 0.0 : 1.0 / Math.Log2(rank + 2);
    }

    /// <summary>The metric names used in results: "Recall@5", "NDCG@5", ...</summary>
    public static string RecallName(int k) => $"Recall@{k}";
    public static string NdcgName(int k) => $"NDCG@{k}";
}
