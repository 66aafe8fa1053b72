using GenCdr.Data;
using GenCdr.Text;

namespace GenCdr.Training;

/// <summary>Item text → embedding for every item of a prepared data set (paper §1: x_i), through the
/// on-disk cache so that a data set is encoded once per encoder.</summary>
public static class ItemEmbedder
{
    /// <summary>Embeddings per domain, index-aligned with <see cref="PreparedDataset.Items"/>.</summary>
    /// <param name="progress">fraction of items encoded so far</param>
    public static float[][][] Embed(PreparedDataset data, TextEncoderConfig config, string cacheDirectory,
        Action<string>? log = null, IProgress<double>? progress = null)
    {
        var builder = new ItemTextBuilder(config.IncludeDescription);
        var texts = data.Items.SelectMany(items => builder.BuildAll(items)).ToArray();
        var encoder = TextEncoderFactory.Create(config);
        try
        {
            Directory.CreateDirectory(cacheDirectory);
            var cache = new EmbeddingCache(log);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var all = cache.GetOrEncode(encoder, texts, EmbeddingCache.FileFor(cacheDirectory, encoder),
                done => progress?.Report(texts.Length == 0 ? 1 : (double)done / texts.Length));
            double seconds = clock.Elapsed.TotalSeconds;
            if (cache.LastRun is { } run)
                log?.Invoke($"embeddings ({encoder.Name}): {run.Encoded} encoded, {run.Reused} from cache, {seconds:F1} s" +
                            (run.Encoded > 0 ? $" ({run.Encoded / seconds:F0} texts/s)" : ""));
            var perDomain = new float[data.DomainCount][][];
            int at = 0;
            for (int d = 0; d < data.DomainCount; d++)
            {
                perDomain[d] = all.AsSpan(at, data.Items[d].Count).ToArray();
                at += data.Items[d].Count;
            }
            return perDomain;
        }
        finally
        {
            (encoder as IDisposable)?.Dispose();
        }
    }
}
