using GenCdr.Data;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// Turns event sequences into SASRec input tensors. Sequences are right-aligned (left-padded with token 0)
/// and the position index counts back from the most recent event, so the latest event always has position
/// MaxLength − 1 whatever the batch width — as in SASRec, where inputs are left-padded to a fixed length.
/// </summary>
public static class SasRecInput
{
    /// <summary>What the model reads for a query: the target domain's events (or, with
    /// <see cref="SasRecConfig.CrossDomainHistory"/>, all events), at most the last MaxLength.</summary>
    public static Event[] InputEvents(IReadOnlyList<Event> history, int targetDomain, SasRecConfig config) =>
        ItemSequenceInput.RecentEvents(history, targetDomain, config.CrossDomainHistory, config.MaxLength);

    /// <summary>The training windows of one user: each sequence (the user's training events of one domain,
    /// or all of them when cross-domain) is cut into windows of at most MaxLength + 1 events that overlap
    /// by one event, so that every next-item position is a target exactly once.</summary>
    public static IEnumerable<Event[]> TrainingWindows(Event[] trainingHistory, int domainCount, SasRecConfig config)
    {
        foreach (var sequence in ItemSequenceInput.TrainingSequences(trainingHistory, domainCount, config.CrossDomainHistory))
        {
            for (int end = sequence.Length; end >= 2;)
            {
                int start = Math.Max(0, end - (config.MaxLength + 1));
                yield return sequence[start..end];
                end = start + 1;
                if (start == 0) break;
            }
        }
    }

    /// <summary>Tokens, positions and event times [B, W] for input sequences of at most MaxLength events (W ≥ 1); the
    /// times are right-aligned as the tokens, 0 at padding.</summary>
    public static (Tensor Tokens, Tensor Positions, Tensor Timestamps) Encode(IReadOnlyList<IReadOnlyList<Event>> sequences, SasRecNetwork network)
    {
        int maxLength = network.Config.MaxLength;
        var (tokens, positions) = ItemSequenceInput.Encode(sequences.Select(s => s.Select(e => network.Token(e.Domain, e.Item)).ToArray()).ToList(), maxLength);
        var (times, _) = ItemSequenceInput.Encode(sequences.Select(s => s.Select(e => e.Timestamp).ToArray()).ToList(), maxLength);
        return (tokens, positions, times);
    }
}
