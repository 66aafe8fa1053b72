namespace GenCdr.Text;

/// <summary>Splits texts into batches for a transformer encoder. Padding every text of a batch to the longest
/// one wastes compute, so with <c>sortByLength</c> the texts are ordered by token length first (a stable sort,
/// so equal lengths keep input order) and neighbours share a batch. Callers write each result back to the
/// text's original index, so the output order never changes.</summary>
public static class LengthSortedBatcher
{
    /// <summary>Batches of indices into <paramref name="lengths"/>, each at most <paramref name="batchSize"/> long.</summary>
    public static IReadOnlyList<int[]> Batches(IReadOnlyList<int> lengths, int batchSize, bool sortByLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var order = Enumerable.Range(0, lengths.Count);
        if (sortByLength) order = order.OrderBy(i => lengths[i]);
        return order.Chunk(batchSize).ToArray();
    }
}
