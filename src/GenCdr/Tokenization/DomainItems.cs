using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>The items of one domain as the tokenizer sees them: raw ids and text embeddings, index-aligned
/// (item i of the domain has id ItemIds[i] and embedding Embeddings[i]).</summary>
public sealed record DomainItems(string Domain, IReadOnlyList<string> ItemIds, float[][] Embeddings)
{
    /// <summary>Consecutive pairs of the domain's items in users' training histories, as item indices (from, to); only
    /// the optional collaborative term of stage 2 reads them (<see cref="CollaborativeAlignment"/>). Empty: no behaviour known.</summary>
    public IReadOnlyList<(int From, int To)> Transitions { get; init; } = [];

    /// <summary>Items named by their index ("0", "1", …) when raw ids do not matter (tests, synthetic data).</summary>
    public static DomainItems Indexed(string domain, float[][] embeddings) =>
        new(domain, Enumerable.Range(0, embeddings.Length).Select(i => i.ToString()).ToArray(), embeddings);

    public int Count => Embeddings.Length;
}

/// <summary>Conversion of embedding arrays to tensors, with the dimension checks a user can trip.</summary>
public static class EmbeddingTensors
{
    /// <summary>A float32 tensor [N, dim] of the rows on <paramref name="device"/> (default: the CPU); every row must have
    /// <paramref name="dim"/> values.</summary>
    public static Tensor ToTensor(IReadOnlyList<float[]> rows, int dim, string what, Device? device = null)
    {
        var flat = new float[(long)rows.Count * dim];
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != dim)
                throw new GenCdrException($"{what}: embedding {i} has {rows[i].Length} values, expected {dim}");
            rows[i].CopyTo(flat, (long)i * dim);
        }
        return tensor(flat, [rows.Count, dim], device: device);
    }
}
