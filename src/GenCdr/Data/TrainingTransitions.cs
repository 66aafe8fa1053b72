namespace GenCdr.Data;

/// <summary>
/// The item-to-item transitions of the training split: an event and the one directly after it in a user's training
/// history (<see cref="PreparedDataset.TrainingHistory"/>, so no validation or test event is ever an end). Read either
/// over the merged cross-domain history or over each domain's own sub-sequence. C2DSR's item graph is built from them,
/// and so is the tokenizer's optional collaborative term (<see cref="GenCdr.Tokenization.CollaborativeAlignment"/>).
/// </summary>
public static class TrainingTransitions
{
    /// <summary>Every (earlier, later) pair of consecutive training events of every user, in user order, repeats kept.</summary>
    /// <param name="crossDomain">consecutive in the merged history (true) or in each domain's own sub-sequence (false)</param>
    public static IEnumerable<(Event From, Event To)> Of(PreparedDataset data, bool crossDomain)
    {
        for (int u = 0; u < data.UserCount; u++)
        {
            var history = data.TrainingHistory(u);
            var sequences = crossDomain ? [history] : history.GroupBy(e => e.Domain).Select(g => g.ToArray());
            foreach (var sequence in sequences)
                for (int t = 1; t < sequence.Length; t++)
                    yield return (sequence[t - 1], sequence[t]);
        }
    }

    /// <summary>The transitions between two different items of domain <paramref name="domain"/>'s sub-sequences, as
    /// item indices of that domain (a repeated purchase of one item is no transition).</summary>
    public static (int From, int To)[] WithinDomain(PreparedDataset data, int domain) =>
        Of(data, crossDomain: false)
            .Where(p => p.From.Domain == domain && p.From.Item != p.To.Item)
            .Select(p => (p.From.Item, p.To.Item))
            .ToArray();
}
