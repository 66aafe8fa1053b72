using GenCdr.Tokenization;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// Optimised product quantisation (Ge et al., "Optimized Product Quantization", TPAMI 2014; the non-parametric variant),
/// which VQ-Rec uses to turn item text embeddings into discrete codes (Hou et al., WWW 2023, §3.1: D = 32 sub-vectors of
/// M = 256 codes): the embeddings are rotated by an orthogonal R, cut into D equal sub-vectors and each sub-space is
/// quantised by k-means; R and the codebooks are fitted alternately, R = U Vᵀ from the SVD of Xᵀ X̂ (the orthogonal
/// Procrustes solution that best maps the data onto its current reconstruction). A dimension not divisible by D is
/// padded with zeros.
/// </summary>
public static class ProductQuantizer
{
    /// <summary>The code of every row of <paramref name="embeddings"/> [N][dimension]: [N][D], each in [0, M).</summary>
    public static int[][] Codes(IReadOnlyList<float[]> embeddings, int subvectors, int centroids, int rotationIterations = 4,
        int kmeansIterations = 20, int seed = 1)
    {
        if (embeddings.Count == 0) return [];
        int dimension = embeddings[0].Length, width = (dimension + subvectors - 1) / subvectors, padded = width * subvectors;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var flat = new float[embeddings.Count * padded];
        for (int i = 0; i < embeddings.Count; i++) embeddings[i].CopyTo(flat, i * padded);
        var x = tensor(flat, [embeddings.Count, padded]);
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        var rotation = eye(padded);
        Tensor codes = empty(0);
        for (int round = 0; round <= rotationIterations; round++)
        {
            var rotated = x.matmul(rotation);
            var reconstruction = zeros_like(rotated);
            var parts = new List<Tensor>();
            for (int s = 0; s < subvectors; s++)
            {
                using var subspace = NewDisposeScope();
                var part = rotated.narrow(1, s * width, width).contiguous();
                var centres = KMeans.Fit(part, centroids, kmeansIterations, generator);
                var assigned = KMeans.Nearest(part, centres);
                reconstruction.narrow(1, s * width, width).copy_(centres.index_select(0, assigned));
                parts.Add(assigned.MoveToOuterDisposeScope());
            }
            codes = stack(parts, 1);
            if (round == rotationIterations) break;
            // Procrustes: the orthogonal R minimising ‖X R − X̂‖ for the reconstruction X̂ in the rotated space
            var (u, _, vh) = linalg.svd(x.t().matmul(reconstruction), fullMatrices: false);
            rotation = u.matmul(vh);
        }
        var values = codes.to_type(ScalarType.Int32).data<int>().ToArray();
        return Enumerable.Range(0, embeddings.Count).Select(i => values.AsSpan(i * subvectors, subvectors).ToArray()).ToArray();
    }
}
