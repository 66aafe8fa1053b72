using GenCdr.Tokenization;

namespace GenCdr.Tests.Tokenization;

/// <summary>Small deterministic data and configs for the tokenizer tests.</summary>
internal static class Synthetic
{
    /// <summary>n unit-length vectors (like sentence embeddings) of <paramref name="dim"/> values around
    /// <paramref name="clusters"/> random centres: Gaussian centre + isotropic noise of the given scale, normalised.</summary>
    public static float[][] Clustered(int n, int dim, int clusters, float noise, int seed)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, clusters).Select(_ => Gaussian(random, dim, 1f)).ToArray();
        return Enumerable.Range(0, n).Select(i =>
        {
            var c = centres[random.Next(clusters)];
            var e = Gaussian(random, dim, noise);
            for (int j = 0; j < dim; j++) e[j] += c[j];
            float norm = MathF.Sqrt(e.Sum(v => v * v));
            return e.Select(v => v / norm).ToArray();
        }).ToArray();
    }

    public static float[] Gaussian(Random random, int dim, float scale) =>
        Enumerable.Range(0, dim).Select(_ =>
            (float)(scale * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();

    /// <summary>A tokenizer small enough to train in about a second: 32-d input, K = 16, M = 3.</summary>
    public static TokenizerConfig TinyConfig => new()
    {
        InputDim = 32,
        HiddenDims = [64, 32],
        LatentDim = 16,
        Levels = 3,
        CodebookSize = 16,
        BatchSize = 32,
        LearningRate = 3e-3,
        Epochs = 15,
        AdapterEpochs = 5,
        KMeansSampleSize = 256,
        KMeansIterations = 10,
        DeadCodeCheckInterval = 5,
        DeadCodeUnusedSteps = 10,
        LoraRank = 4,
        LoraAlpha = 2,
        RouterHidden = 16,
        MtmEmbeddingDim = 16,
        MtmHidden = 64,
        Seed = 7,
    };

    /// <summary>Two domains (120 + 80 items) drawn from partly shared clusters.</summary>
    public static IReadOnlyList<DomainItems> TwoDomains(int seed = 1)
    {
        var all = Clustered(200, 32, 8, 0.15f, seed);
        return [DomainItems.Indexed("Sports", all[..120]), DomainItems.Indexed("Clothing", all[120..])];
    }
}
