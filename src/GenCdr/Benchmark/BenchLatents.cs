using GenCdr.Data;
using GenCdr.Tokenization;
using GenCdr.Training;
using static TorchSharp.torch;

namespace GenCdr.Benchmark;

/// <summary>
/// The item latents of the paper's Fig. 3 from a trained tokenizer: every item's universal latent E(x) next to
/// its fused latent g·E(x) + (1 − g)·E_d(x) (domain adapter and item router, paper §1c), labelled by domain.
/// </summary>
public static class BenchLatents
{
    const int Batch = 4096;

    /// <summary>Both conditions for every item of the data set; empty when the run folder has no tokenizer
    /// or the tokenizer has no adapters (then the two conditions are the same).</summary>
    public static IReadOnlyList<ItemLatents> Of(RunFolder folder, RunConfig config, PreparedDataset data)
    {
        if (!folder.IsTokenized) return [];
        using var tokenizer = ItemTokenizer.Load(folder.Tokenizer);
        if (!tokenizer.HasAdapters) return [];
        var embeddings = ItemEmbedder.Embed(data, config.Text, config.Schedule.CacheDirectory);
        var universal = new List<float[]>();
        var fused = new List<float[]>();
        var domains = new List<int>();
        using var _ = no_grad();
        for (int d = 0; d < data.DomainCount; d++)
        {
            string domain = data.DomainNames[d];
            for (int start = 0; start < embeddings[d].Length; start += Batch)
            {
                using var scope = NewDisposeScope();
                var rows = embeddings[d].AsSpan(start, Math.Min(Batch, embeddings[d].Length - start)).ToArray();
                var x = EmbeddingTensors.ToTensor(rows, tokenizer.Config.InputDim, domain);
                universal.AddRange(Rows(tokenizer.UniversalLatent(x)));
                fused.AddRange(Rows(tokenizer.FusedLatent(domain, x).Latent));
                domains.AddRange(Enumerable.Repeat(d, rows.Length));
            }
        }
        int[] labels = domains.ToArray();
        return
        [
            new ItemLatents("universal latent E(x) (no domain adapter)", universal.ToArray(), labels),
            new ItemLatents("fused latent (domain adapter + item router)", fused.ToArray(), labels),
        ];
    }

    static IEnumerable<float[]> Rows(Tensor latents)
    {
        int n = (int)latents.shape[0], dim = (int)latents.shape[1];
        var flat = latents.contiguous().data<float>().ToArray();
        for (int i = 0; i < n; i++) yield return flat.AsSpan(i * dim, dim).ToArray();
    }
}
