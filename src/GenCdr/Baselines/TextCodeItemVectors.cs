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

    /// <summary>The vectors of the given item tokens [.., hidden]; token 0 (padding) gets a zero vector.</summary>
    public Tensor Of(Tensor tokens)
    {
        var vectors = Embed(codes.index_select(0, tokens.flatten()));
        vectors *= tokens.flatten().ne(0).unsqueeze(1).to(vectors.dtype);
        return vectors.view([.. tokens.shape, vectors.shape[1]]);
    }

    /// <summary>The vectors of the tokens first … first + count − 1 (one domain's items): [count, hidden].</summary>
    public Tensor Range(long first, long count) => Embed(codes.narrow(0, first, count));

    Tensor Embed(Tensor itemCodes) => code_embedding.forward(itemCodes).mean([1]);
}
