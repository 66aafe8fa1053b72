using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// VQ-Rec's item representation (Hou et al., "Learning Vector-Quantized Item Representation for Transferable Sequential
/// Recommenders", WWW 2023, §3.1–3.2): each item's text embedding becomes D discrete codes by optimised product
/// quantisation (<see cref="ProductQuantizer"/>, fitted once on every item), and its vector is the mean of D trainable
/// code embeddings, one table of M rows per sub-vector: v_i = (1/D) Σ_k E_k[c_k(i)]. Items with similar text share codes
/// and so share parameters, which is what lets VQ-Rec transfer. The codes are a buffer (saved with the weights). Row 0
/// (padding) is zero. VQ-Rec's contrastive pre-training is not run: the codes' embeddings are learnt by the fine-tuning
/// (next-item) objective alone.
/// </summary>
public sealed class TextCodeItemVectors : nn.Module
{
    readonly Tensor codes;
    readonly Embedding code_embedding;
    readonly int _subvectors;

    /// <param name="embeddings">[domain][item][dimension], the items in token order (1 + offset(domain) + item)</param>
    public TextCodeItemVectors(IReadOnlyList<IReadOnlyList<float[]>> embeddings, int hidden, int subvectors, int centroids, int seed)
        : base(nameof(TextCodeItemVectors))
    {
        _subvectors = subvectors;
        var rows = embeddings.SelectMany(d => d).ToList();
        var itemCodes = ProductQuantizer.Codes(rows, subvectors, centroids, seed: seed);
        // row r = 1 + item: code k of an item is stored as k·M + c, an index into the one code table; row 0 is padding
        var flat = new long[(rows.Count + 1) * subvectors];
        for (int i = 0; i < rows.Count; i++)
            for (int k = 0; k < subvectors; k++) flat[(i + 1) * subvectors + k] = (long)k * centroids + itemCodes[i][k];
        codes = tensor(flat, [rows.Count + 1, subvectors]);
        code_embedding = nn.Embedding(subvectors * centroids, hidden);
        using (no_grad()) nn.init.normal_(code_embedding.weight!, 0, 1 / Math.Sqrt(hidden));
        RegisterComponents();
    }

    /// <summary>The items' codes [1 + items, D] (k·M + c; row 0 padding).</summary>
    public Tensor Codes => codes;

    /// <summary>Every item's vector, padding row 0 included: [1 + items, hidden].</summary>
    public Tensor Vectors()
    {
        var vectors = code_embedding.forward(codes).mean([1]);
        var keep = ones(vectors.shape[0], 1, dtype: vectors.dtype, device: vectors.device);
        keep[0] = 0;
        return vectors * keep;
    }
}
