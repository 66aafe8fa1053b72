using GenCdr.Data;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// Input building shared by the SASRec and BERT4Rec baselines: which events a model reads (the target domain's
/// only, or all of them merged across domains), the per-domain or merged training sequences, and the
/// right-aligned encoding of token sequences. Batches are left-padded with token 0 and the position index
/// counts back from the end, so the last token always has position MaxLength − 1 whatever the batch width.
/// How sequences are cut into windows and what the last token is stay with each model.
/// </summary>
public static class ItemSequenceInput
{
    /// <summary>The target domain's events of <paramref name="history"/> (all events when
    /// <paramref name="crossDomain"/>), at most the last <paramref name="room"/>.</summary>
    public static Event[] RecentEvents(IReadOnlyList<Event> history, int targetDomain, bool crossDomain, int room)
    {
        var kept = crossDomain ? history : history.Where(e => e.Domain == targetDomain).ToList();
        return kept.Skip(Math.Max(0, kept.Count - room)).ToArray();
    }

    /// <summary>The sequences a user's training events are cut from: one per domain, or the whole merged
    /// history when <paramref name="crossDomain"/>.</summary>
    public static IEnumerable<Event[]> TrainingSequences(Event[] trainingHistory, int domainCount, bool crossDomain) =>
        crossDomain
            ? [trainingHistory]
            : Enumerable.Range(0, domainCount).Select(d => trainingHistory.Where(e => e.Domain == d).ToArray());

    /// <summary>Tokens and positions [B, W] for token sequences of at most <paramref name="maxLength"/> tokens
    /// (W ≥ 1), right-aligned.</summary>
    public static (Tensor Tokens, Tensor Positions) Encode(IReadOnlyList<long[]> sequences, int maxLength)
    {
        int width = Math.Max(1, sequences.Count == 0 ? 1 : sequences.Max(s => s.Length));
        if (width > maxLength) throw new ArgumentException($"a sequence is longer than MaxLength {maxLength}");
        var tokens = new long[sequences.Count * width];
        for (int b = 0; b < sequences.Count; b++)
            sequences[b].CopyTo(tokens, Column(0, sequences[b].Length, width) + b * width);
        var positions = arange(maxLength - width, maxLength, dtype: ScalarType.Int64).unsqueeze(0).expand(sequences.Count, width);
        return (tensor(tokens, [sequences.Count, width]), positions);
    }

    /// <summary>Where a position of an unpadded sequence lands in its row of <see cref="Encode"/>'s output.</summary>
    public static int Column(int position, int sequenceLength, int width) => width - sequenceLength + position;
}
