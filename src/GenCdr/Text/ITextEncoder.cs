namespace GenCdr.Text;

/// <summary>Turns texts into L2-normalised embedding vectors x_i (paper §2.1: the semantic tokenizer quantises
/// each item's text embedding into its code tuple SID(i)).</summary>
public interface ITextEncoder
{
    /// <summary>A stable identity of the encoder and every setting that changes its output (model, truncation,
    /// dimension, seed), e.g. "minilm-l6-v2-max128". Used as a cache key: two encoders with the same name must
    /// produce the same embeddings.</summary>
    string Name { get; }

    /// <summary>Length of every embedding vector.</summary>
    int Dimension { get; }

    /// <summary>Encodes <paramref name="texts"/> into one unit-norm vector each, in input order.
    /// The embedding of a text depends on that text only, never on the other texts of the call.</summary>
    /// <param name="onProgress">Called with the number of texts encoded so far (cumulative), at least once at the end.</param>
    float[][] Encode(IReadOnlyList<string> texts, Action<int>? onProgress = null);
}
