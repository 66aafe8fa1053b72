namespace GenCdr.Evaluation;

/// <summary>
/// Top-k selection for models that score every item. Ties are broken deterministically by the lower item
/// index, so a score-based model's ranking (and thus its metrics) never depends on sort stability or
/// thread timing. NaN scores rank below every number.
/// </summary>
public static class TopK
{
    /// <summary>The indices of the k highest scores, best first (ties: lower index first).</summary>
    public static int[] Select(ReadOnlySpan<float> scores, int k) => Select(scores, k, ReadOnlySpan<bool>.Empty);

    /// <summary>As <see cref="Select(ReadOnlySpan{float}, int)"/>, skipping every index i with excluded[i]
    /// (an empty span excludes nothing).</summary>
    public static int[] Select(ReadOnlySpan<float> scores, int k, ReadOnlySpan<bool> excluded)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (!excluded.IsEmpty && excluded.Length != scores.Length)
            throw new ArgumentException("excluded must be empty or as long as scores", nameof(excluded));
        // A min-heap (by rank: the worst kept item at the root) of at most k indices: O(n log k).
        var heap = new int[Math.Min(k, scores.Length)];
        int size = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (!excluded.IsEmpty && excluded[i]) continue;
            if (size < heap.Length)
            {
                heap[size] = i;
                SiftUp(heap, size++, scores);
            }
            else if (size > 0 && Better(i, heap[0], scores))
            {
                heap[0] = i;
                SiftDown(heap, size, scores);
            }
        }
        // Spans cannot be captured by a comparison, so sort (score, index) pairs.
        var ranked = new (float Score, int Index)[size];
        for (int j = 0; j < size; j++) ranked[j] = (scores[heap[j]], heap[j]);
        Array.Sort(ranked, static (a, b) => a.Index == b.Index ? 0 : Better(a.Score, a.Index, b.Score, b.Index) ? -1 : 1);
        return Array.ConvertAll(ranked, r => r.Index);
    }

    /// <summary>True when item a ranks above item b: higher score, or equal score and lower index.</summary>
    static bool Better(int a, int b, ReadOnlySpan<float> scores) => Better(scores[a], a, scores[b], b);

    static bool Better(float sa, int a, float sb, int b)
    {
        bool nanA = float.IsNaN(sa), nanB = float.IsNaN(sb);
        if (nanA || nanB) return nanA == nanB ? a < b : nanB;
        return sa > sb || (sa == sb && a < b);
    }

    static void SiftUp(int[] heap, int i, ReadOnlySpan<float> scores)
    {
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Better(heap[parent], heap[i], scores)) break; // root holds the worst
            (heap[parent], heap[i]) = (heap[i], heap[parent]);
            i = parent;
        }
    }

    static void SiftDown(int[] heap, int size, ReadOnlySpan<float> scores)
    {
        int i = 0;
        while (true)
        {
            int l = 2 * i + 1, r = l + 1, worst = i;
            if (l < size && Better(heap[worst], heap[l], scores)) worst = l;
            if (r < size && Better(heap[worst], heap[r], scores)) worst = r;
            if (worst == i) return;
            (heap[worst], heap[i]) = (heap[i], heap[worst]);
            i = worst;
        }
    }
}
