namespace GenCdr.Decoding;

/// <summary>
/// A next-token model as beam search sees it: encode the prompts once, then extend each row by one token.
/// The transformer implements it (<see cref="TransformerStepScorer"/>); tests use hand-made distributions.
/// </summary>
public interface IStepScorer
{
    /// <summary>Encodes one prompt per user (ending with the target domain's token); the session then has
    /// one row per user.</summary>
    IScoringSession Begin(IReadOnlyList<int[]> prompts, IReadOnlyList<int> targetDomains);
}

/// <summary>A decoding session over rows (beams). Scores are logits or log-probabilities: beam search
/// normalises them with a log-softmax over the allowed tokens, which is the same for both.</summary>
public interface IScoringSession : IDisposable
{
    int Rows { get; }
    /// <summary>Next-token scores of token ids [first, first + count) for every row, row-major [Rows × count].</summary>
    float[] NextScores(int first, int count);
    /// <summary>New rows: row i continues old row <paramref name="parentRows"/>[i] with <paramref name="tokens"/>[i].</summary>
    void Advance(long[] parentRows, long[] tokens);
}
