using GenCdr.Data;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// Turns event sequences into BERT4Rec token sequences and tensors. Batches are right-aligned (left-padded
/// with [PAD]) and the position index counts back from the end, so the appended [MASK] of a query always has
/// position MaxLength − 1 whatever its history length — the same convention as the SASRec baseline's input.
/// </summary>
public static class Bert4RecInput
{
    /// <summary>The events a model reads for a query: the target domain's events (or, with
    /// <see cref="Bert4RecConfig.CrossDomainHistory"/>, all events), at most the last MaxLength − 1, leaving
    /// room for the appended [MASK].</summary>
    public static Event[] InputEvents(IReadOnlyList<Event> history, int targetDomain, Bert4RecConfig config) =>
        ItemSequenceInput.RecentEvents(history, targetDomain, config.CrossDomainHistory, room: config.MaxLength - 1);

    /// <summary>The tokens of a query (paper §3.6, "append the special token [MASK] to the end of the user's
    /// behaviour sequence"): the input events, then the target domain's [MASK]. The target item can never be
    /// among them: the history handed to a model ends before the held-out event.</summary>
    public static long[] QueryTokens(IReadOnlyList<Event> history, int targetDomain, Bert4RecConfig config, Bert4RecVocabulary vocabulary)
    {
        var events = InputEvents(history, targetDomain, config);
        var tokens = new long[events.Length + 1];
        for (int j = 0; j < events.Length; j++) tokens[j] = vocabulary.Item(events[j].Domain, events[j].Item);
        tokens[^1] = vocabulary.Mask(targetDomain);
        return tokens;
    }

    /// <summary>The training sequences of one user: each domain's training events (or all of them when
    /// cross-domain), cut from the most recent end into non-overlapping windows of at most MaxLength events,
    /// so every event is in exactly one window. Windows of a single event carry no sequence and are skipped.</summary>
    public static IEnumerable<Event[]> TrainingWindows(Event[] trainingHistory, int domainCount, Bert4RecConfig config)
    {
        foreach (var sequence in ItemSequenceInput.TrainingSequences(trainingHistory, domainCount, config.CrossDomainHistory))
            for (int end = sequence.Length; end >= 2; end -= config.MaxLength)
                yield return sequence[Math.Max(0, end - config.MaxLength)..end];
    }

    /// <summary>Tokens and positions [B, W] for token sequences of at most MaxLength tokens (W ≥ 1); see
    /// <see cref="ItemSequenceInput.Encode"/>.</summary>
    public static (Tensor Tokens, Tensor Positions) Encode(IReadOnlyList<long[]> sequences, int maxLength) =>
        ItemSequenceInput.Encode(sequences, maxLength);

    /// <summary>Where a position of an unpadded sequence lands in its row of <see cref="Encode"/>'s output.</summary>
    public static int Column(int position, int sequenceLength, int width) => ItemSequenceInput.Column(position, sequenceLength, width);
}
