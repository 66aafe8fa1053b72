using System.Security.Cryptography;

namespace GenCdr.Text;

/// <summary>A fast, deterministic text encoder with no model file, for unit tests and quick runs (not a
/// substitute for MiniLM in experiments). Features are the lower-cased word unigrams and bigrams of a text
/// (words = maximal runs of letters and digits); each is hashed (<see cref="StableHash"/>) to one of
/// <see cref="Dimension"/> buckets with a ±1 sign (the "hashing trick" of Weinberger et al. 2009, whose sign
/// makes collisions cancel in expectation), weighted by (1 + ln tf) · idf and the vector is L2-normalised.
/// <para>IDF decision: by default idf = 1 (log-scaled TF only), because an IDF fitted on whatever texts are
/// passed to <see cref="Encode"/> would make a text's embedding depend on the other texts of the call,
/// breaking <see cref="EmbeddingCache"/> and chunked encoding. <see cref="Fit"/> builds an encoder with IDF
/// frozen from a given corpus; its <see cref="Name"/> carries a digest of that IDF table so caches stay correct.</para>
/// Texts sharing words get a high cosine similarity; a text with no words gets the embedding of a fixed
/// "empty" feature, so every output is unit-norm.</summary>
public sealed class HashedTfIdfEncoder : ITextEncoder
{
    private const string EmptyFeature = "\0empty";
    private readonly ulong _basis;
    private readonly IReadOnlyDictionary<ulong, float>? _idf;
    private readonly float _unseenIdf;

    public string Name { get; }
    public int Dimension { get; }

    /// <summary>A log-TF encoder (idf = 1). Name: "hashed-tf-{dimension}-seed{seed}".</summary>
    public HashedTfIdfEncoder(int dimension = 384, int seed = 7) : this(dimension, seed, null, 1f, $"hashed-tf-{dimension}-seed{seed}") { }

    private HashedTfIdfEncoder(int dimension, int seed, IReadOnlyDictionary<ulong, float>? idf, float unseenIdf, string name)
    {
        if (dimension < 1) throw new GenCdrException($"Hashed encoder dimension must be at least 1, got {dimension}.");
        Dimension = dimension;
        _basis = StableHash.Basis(seed);
        _idf = idf;
        _unseenIdf = unseenIdf;
        Name = name;
    }

    /// <summary>An encoder whose IDF is fitted on <paramref name="corpus"/> and then frozen, with the smoothed
    /// idf(f) = ln((1 + N) / (1 + df(f))) + 1 (features never seen get df = 0).
    /// Name: "hashed-tfidf-{dimension}-seed{seed}-{digest of the IDF table}".</summary>
    public static HashedTfIdfEncoder Fit(IReadOnlyList<string> corpus, int dimension = 384, int seed = 7)
    {
        var basis = StableHash.Basis(seed);
        var documentFrequency = new Dictionary<ulong, int>();
        foreach (var text in corpus)
            foreach (var feature in Features(text, basis).Keys)
                documentFrequency[feature] = documentFrequency.GetValueOrDefault(feature) + 1;

        var n = corpus.Count;
        var idf = documentFrequency.ToDictionary(kv => kv.Key, kv => (float)(Math.Log((1.0 + n) / (1.0 + kv.Value)) + 1.0));
        var table = documentFrequency.OrderBy(kv => kv.Key).SelectMany(kv => BitConverter.GetBytes(kv.Key).Concat(BitConverter.GetBytes(kv.Value)));
        var digest = Convert.ToHexStringLower(SHA256.HashData([.. BitConverter.GetBytes(n), .. table]))[..12];
        return new HashedTfIdfEncoder(dimension, seed, idf, (float)(Math.Log(1.0 + n) + 1.0), $"hashed-tfidf-{dimension}-seed{seed}-{digest}");
    }

    public float[][] Encode(IReadOnlyList<string> texts, Action<int>? onProgress = null)
    {
        var result = new float[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            result[i] = EncodeOne(texts[i]);
            if ((i + 1) % 1000 == 0) onProgress?.Invoke(i + 1);
        }
        onProgress?.Invoke(texts.Count);
        return result;
    }

    private float[] EncodeOne(string text)
    {
        var vector = new float[Dimension];
        var features = Features(text, _basis);
        if (features.Count == 0) features[StableHash.Fnv1a(EmptyFeature, _basis)] = 1;
        foreach (var (hash, tf) in features)
        {
            var mixed = StableHash.Mix(hash);
            var bucket = (int)((mixed & 0xFFFF_FFFF) % (ulong)Dimension);
            var sign = (mixed >> 63) == 0 ? 1f : -1f;
            var idf = _idf is null ? 1f : _idf.GetValueOrDefault(hash, _unseenIdf);
            vector[bucket] += sign * (1f + MathF.Log(tf)) * idf;
        }
        VectorMath.L2NormalizeInPlace(vector);
        if (VectorMath.Norm(vector) == 0) vector[0] = 1; // every feature cancelled out: still return a unit vector
        return vector;
    }

    /// <summary>Term frequencies of the hashed unigrams and bigrams of <paramref name="text"/>.</summary>
    internal static Dictionary<ulong, int> Features(string text, ulong basis)
    {
        var counts = new Dictionary<ulong, int>();
        Span<char> word = stackalloc char[64];
        ulong? previous = null;
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord) { if (start < 0) start = i; continue; }
            if (start < 0) continue;

            var length = i - start;
            var lower = length <= word.Length ? word[..length] : new char[length];
            text.AsSpan(start, length).ToLowerInvariant(lower);
            var unigram = StableHash.Fnv1a(lower, basis);
            Add(counts, unigram);
            if (previous is { } p) Add(counts, StableHash.Fnv1a(lower, StableHash.Fnv1a(" ", p)));
            previous = unigram;
            start = -1;
        }
        return counts;
    }

    private static void Add(Dictionary<ulong, int> counts, ulong feature) =>
        counts[feature] = counts.GetValueOrDefault(feature) + 1;
}
