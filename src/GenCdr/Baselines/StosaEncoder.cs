using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// STOSA's stochastic sequence encoder and read-out (Fan et al., WWW 2022): every item is a Gaussian, its mean the
/// network's item embedding and its diagonal covariance Σ_i = ELU(c_i) + 1 from a second embedding c; positions get a
/// mean and a covariance embedding too. The sequence runs through <see cref="StosaBlock"/>s, and the user's Gaussian at
/// a position is scored against each item's by −W₂² (Eq. 9: the smaller the Wasserstein distance, the more likely the
/// item). The state returned is [μ ‖ Σ^½] (2H wide), so that −W₂² is minus a squared Euclidean distance.
/// </summary>
public sealed class StosaEncoder : nn.Module
{
    readonly Embedding item_covariance, position_covariance;
    readonly ModuleList<StosaBlock> blocks;
    readonly LayerNorm mean_norm, covariance_norm;
    readonly Dropout dropout;
    readonly double _scale;

    /// <param name="tokens">rows of the item tables: 1 + every item (row 0 padding)</param>
    public StosaEncoder(SasRecConfig config, long tokens) : base(nameof(StosaEncoder))
    {
        item_covariance = nn.Embedding(tokens, config.HiddenSize, padding_idx: 0);
        position_covariance = nn.Embedding(config.MaxLength, config.HiddenSize);
        using (no_grad()) nn.init.normal_(item_covariance.weight!, 0, 1 / Math.Sqrt(config.HiddenSize));
        blocks = new ModuleList<StosaBlock>(Enumerable.Range(0, config.Blocks).Select(_ => new StosaBlock(config)).ToArray());
        mean_norm = nn.LayerNorm(config.HiddenSize, eps: 1e-8);
        covariance_norm = nn.LayerNorm(config.HiddenSize, eps: 1e-8);
        dropout = nn.Dropout(config.Dropout);
        _scale = Math.Sqrt(config.HiddenSize);
        RegisterComponents();
    }

    /// <param name="mean">[B, T, H] the mean stream's input (item mean embedding × √H + position embedding, dropout, padding zeroed)</param>
    /// <param name="tokens">int64 [B, T]</param>
    /// <param name="positions">int64 [B, T]</param>
    /// <param name="mask">bool [B, 1, T, T]</param>
    /// <returns>[B, T, 2H]: each position's Gaussian as [μ ‖ Σ^½]</returns>
    public Tensor Hidden(Tensor mean, Tensor tokens, Tensor positions, Tensor mask)
    {
        var valid = tokens.ne(0).unsqueeze(-1);
        var covariance = dropout.forward(item_covariance.forward(tokens) * _scale + position_covariance.forward(positions)) * valid;
        foreach (var block in blocks)
        {
            (mean, covariance) = block.forward(mean, covariance, mask);
            (mean, covariance) = (mean * valid, covariance * valid);
        }
        return cat([mean_norm.forward(mean), StosaBlock.CovarianceRoot(covariance_norm.forward(covariance))], -1);
    }

    /// <summary>The Gaussians [μ ‖ Σ^½] of the given item tokens [N]: their means [N, H] → [N, 2H].</summary>
    public Tensor ItemGaussians(Tensor means, Tensor tokens) =>
        cat([means, StosaBlock.CovarianceRoot(item_covariance.forward(tokens))], -1);

    /// <summary>−W₂²(user, item) for every state [N, 2H] and item [M, 2H] → [N, M] (STOSA's score, Eq. 9).</summary>
    public static Tensor Scores(Tensor states, Tensor items) => -StosaBlock.SquaredWasserstein(states, items);
}
