namespace GenCdr.Text;

/// <summary>What one <see cref="EmbeddingCache.GetOrEncode"/> call did.</summary>
public sealed record EmbeddingCacheStats(int Texts, int Reused, int Encoded, bool FileWritten);

/// <summary>Computes item embeddings once per data set and keeps them on disk, keyed by the encoder's
/// <see cref="ITextEncoder.Name"/> and the SHA-256 of each text: a changed text is re-encoded, unchanged ones
/// are reused, identical texts are encoded once. The file then holds exactly the current texts.
/// <para>Damage policy: a file that carries our header but cannot be read (truncated, checksum mismatch, old
/// format version), or that was written by another encoder or dimension, is reported through the
/// <c>report</c> callback and rebuilt. A file that is not an embedding cache at all (wrong magic bytes)
/// is NOT overwritten: the path is more likely a mistake than a cache, so a <see cref="GenCdrException"/> is thrown.</para>
/// <para>Embeddings from one encoder Name are assumed identical across runs; ONNX Runtime on another CPU
/// may differ in the last bits, which is harmless.</para></summary>
public sealed class EmbeddingCache(Action<string>? report = null)
{
    private readonly Action<string> _report = report ?? (message => Console.Error.WriteLine(message));

    /// <summary>Statistics of the most recent call.</summary>
    public EmbeddingCacheStats? LastRun { get; private set; }

    /// <summary>The conventional cache file of <paramref name="encoder"/> inside <paramref name="folder"/>,
    /// one file per encoder so switching encoders does not discard the other's cache.</summary>
    public static string FileFor(string folder, ITextEncoder encoder) =>
        Path.Combine(folder, $"embeddings-{string.Concat(encoder.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_'))}.bin");

    /// <summary>Embeddings of <paramref name="texts"/> in input order, reusing those found in <paramref name="cacheFile"/>
    /// and encoding the rest. <paramref name="onProgress"/> receives the number of texts ready (cached ones count at once).</summary>
    public float[][] GetOrEncode(ITextEncoder encoder, IReadOnlyList<string> texts, string cacheFile, Action<int>? onProgress = null)
    {
        var digests = texts.Select(EmbeddingCacheFile.Digest).ToArray();
        var (cached, fileNeedsRewrite) = Load(encoder, cacheFile);

        // Unique texts missing from the cache, in first-occurrence order.
        var missing = new Dictionary<string, string>();
        for (var i = 0; i < texts.Count; i++)
            if (!cached.ContainsKey(digests[i])) missing.TryAdd(digests[i], texts[i]);

        var reused = digests.Count(cached.ContainsKey);
        onProgress?.Invoke(reused);
        var vectors = new Dictionary<string, float[]>(cached);
        if (missing.Count > 0)
        {
            var encoded = encoder.Encode(missing.Values.ToArray(), done => onProgress?.Invoke(Math.Min(texts.Count, reused + done)));
            if (encoded.Length != missing.Count || encoded.Any(v => v.Length != encoder.Dimension))
                throw new InvalidOperationException($"Encoder {encoder.Name} returned {encoded.Length} vectors (expected {missing.Count}) or vectors not of length {encoder.Dimension}.");
            foreach (var (digest, vector) in missing.Keys.Zip(encoded)) vectors[digest] = vector;
        }

        var current = digests.ToHashSet();
        var stale = cached.Keys.Any(k => !current.Contains(k));
        var write = fileNeedsRewrite || missing.Count > 0 || stale;
        if (write)
            EmbeddingCacheFile.Write(cacheFile, encoder.Name, encoder.Dimension, current.Select(d => KeyValuePair.Create(d, vectors[d])));

        LastRun = new EmbeddingCacheStats(texts.Count, reused, missing.Count, write);
        onProgress?.Invoke(texts.Count);
        // Copies, so that duplicate texts never share one mutable array.
        return digests.Select(d => (float[])vectors[d].Clone()).ToArray();
    }

    /// <summary>The usable vectors of <paramref name="cacheFile"/> and whether the file must be rewritten even if nothing new is encoded.</summary>
    private (IReadOnlyDictionary<string, float[]> Vectors, bool Rewrite) Load(ITextEncoder encoder, string cacheFile)
    {
        var none = new Dictionary<string, float[]>();
        if (!File.Exists(cacheFile)) return (none, true);
        if (!EmbeddingCacheFile.LooksLikeCacheFile(cacheFile))
            throw new GenCdrException($"{cacheFile}: exists but is not an embedding cache file (wrong magic bytes); refusing to overwrite it. Delete it or choose another cache path.");
        try
        {
            var contents = EmbeddingCacheFile.Read(cacheFile);
            if (contents.EncoderName != encoder.Name || contents.Dimension != encoder.Dimension)
            {
                _report($"{cacheFile}: written by encoder {contents.EncoderName} ({contents.Dimension}-d), now using {encoder.Name} ({encoder.Dimension}-d); re-encoding all texts.");
                return (none, true);
            }
            return (contents.Vectors, false);
        }
        catch (EmbeddingCacheFile.CorruptException e)
        {
            _report($"{cacheFile}: embedding cache is damaged ({e.Message}); rebuilding it.");
            return (none, true);
        }
    }
}
