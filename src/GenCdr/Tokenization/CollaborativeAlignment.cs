using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>
/// Our optional collaborative term of stage 2 (not in the paper; <see cref="TokenizerConfig.AdapterCollaborativeWeight"/>).
/// The paper trains domain d's adapter and item router to reconstruct the item's text embedding (§1b–c), an objective
/// that cannot see which items the domain's users buy together, so the adapter has nothing domain-specific to learn
/// beyond the text's own distribution (docs/routers.md). This term gives it behaviour, in the spirit of LETTER's
/// collaborative regulariser (Wang et al., "Learnable Item Tokenization for Generative Recommendation", CIKM 2024,
/// arXiv 2405.07314: a contrastive alignment of the quantised latents with collaborative embeddings), but aligning the
/// items users move between directly instead of with a pre-trained sequential model's embeddings: for a batch of
/// transitions (a → b: b directly followed a in some user's training sub-sequence of domain d),
/// L_CF = ½ [CE(S, I) + CE(Sᵀ, I)], S_ij = cos(z_a_i, z_b_j) / τ,
/// an InfoNCE loss whose negatives are the batch's other items. It pulls the fused latents of items users move between
/// together, so they come to share code prefixes, while L_recon keeps each latent tied to its text.
/// </summary>
public static class CollaborativeAlignment
{
    /// <summary>L_CF for fused latents of the transitions' earlier items <paramref name="from"/> [B, D] and later items
    /// <paramref name="to"/> [B, D] (row i of each is one transition).</summary>
    public static Tensor Loss(Tensor from, Tensor to, double temperature)
    {
        var similarity = nn.functional.normalize(from, dim: -1).matmul(nn.functional.normalize(to, dim: -1).t()) / temperature;
        var matching = arange(from.shape[0], dtype: int64, device: from.device);
        return 0.5 * (nn.functional.cross_entropy(similarity, matching) + nn.functional.cross_entropy(similarity.t(), matching));
    }
}
