using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>What <see cref="ResidualQuantizer"/> returns for a batch of latents z [B, D].</summary>
/// <param name="Codes">c_1..c_M per item, [B, M] int64.</param>
/// <param name="Quantized">ẑ = z + (Σ e_m − z).detach(): the value of Σ e_m with the gradient of z
/// (straight-through estimator), [B, D].</param>
/// <param name="CodeVectors">e_1..e_M, [B, M, D], differentiable with respect to the codebooks.</param>
/// <param name="Residuals">r_1..r_M (r_1 = z), detached, [B, M, D].</param>
/// <param name="QuantLoss">L_quant = Σ_m ||sg[r_m] − e_m||² + β ||r_m − sg[e_m]||², batch mean, scalar.</param>
public sealed record QuantizerOutput(Tensor Codes, Tensor Quantized, Tensor CodeVectors, Tensor Residuals, Tensor QuantLoss);

/// <summary>M codebooks of K vectors applied to successive residuals (paper §1a, residual quantisation as in
/// RQ-VAE, Lee et al. 2022): r_1 = z; c_m = argmin_k ||r_m − C_m[k]||; e_m = C_m[c_m]; r_{m+1} = r_m − e_m.</summary>
public sealed class ResidualQuantizer : nn.Module<Tensor, QuantizerOutput>
{
    /// <summary>All codebooks, [M, K, D].</summary>
    private readonly Parameter codebooks;
    private readonly float beta;

    public ResidualQuantizer(int levels, int codebookSize, int dim, float beta, Generator generator)
        : base(nameof(ResidualQuantizer))
    {
        codebooks = new Parameter(empty(levels, codebookSize, dim));
        SeededInit.Normal(codebooks, 1.0 / Math.Sqrt(dim), generator);
        this.beta = beta;
        Levels = levels;
        CodebookSize = codebookSize;
        Dim = dim;
        RegisterComponents();
    }

    public int Levels { get; }
    public int CodebookSize { get; }
    public int Dim { get; }

    /// <summary>The codebook tensor [M, K, D] (a parameter; index it to get C_m).</summary>
    public Parameter Codebooks => codebooks;

    public override QuantizerOutput forward(Tensor z)
    {
        var residual = z;
        var codes = new Tensor[Levels];
        var vectors = new Tensor[Levels];
        var residuals = new Tensor[Levels];
        var loss = zeros(1, dtype: z.dtype, device: z.device).squeeze();
        for (int m = 0; m < Levels; m++)
        {
            var codebook = codebooks[m];
            var detached = residual.detach();
            Tensor code;
            using (no_grad()) code = KMeans.Nearest(detached, codebook);
            var e = codebook.index_select(0, code);
            // Codebook term moves e_m towards the residual; commitment term (weight β) moves the encoder's
            // residual towards the chosen code. Squared norms summed over dimensions, averaged over the batch.
            loss = loss + (detached - e).pow(2).sum(1).mean() + beta * (residual - e.detach()).pow(2).sum(1).mean();
            codes[m] = code;
            vectors[m] = e;
            residuals[m] = detached;
            residual = residual - e.detach();
        }
        var codeVectors = stack(vectors, 1);
        var sum = codeVectors.sum(1);
        var quantized = z + (sum - z).detach();
        return new QuantizerOutput(stack(codes, 1), quantized, codeVectors, stack(residuals, 1), loss);
    }

    /// <summary>||z − Σ_m e_m||² / ||z||² over the batch (no gradient): the share of the latents' energy left
    /// unexplained by the codes, a scale-free measure of the quantiser's fit.</summary>
    public static double UnexplainedShare(Tensor z, QuantizerOutput output)
    {
        using var share = UnexplainedShareTensor(z, output);
        return share.item<float>();
    }

    /// <summary><see cref="UnexplainedShare"/> as a scalar tensor on the latents' device, for a training step that reads
    /// all its numbers from the device at once.</summary>
    public static Tensor UnexplainedShareTensor(Tensor z, QuantizerOutput output)
    {
        using var _ = no_grad();
        return (z - output.CodeVectors.sum(1)).pow(2).sum() / z.pow(2).sum().clamp_min(1e-12);
    }

    /// <summary>Σ_m C_m[c_m] for codes [B, M] (no straight-through; used to decode given codes).</summary>
    public Tensor Lookup(Tensor codes)
    {
        var sum = zeros(codes.shape[0], Dim, dtype: codebooks.dtype, device: codebooks.device);
        for (int m = 0; m < Levels; m++) sum = sum + codebooks[m].index_select(0, codes[.., m]);
        return sum;
    }

    /// <summary>Initialises every codebook by k-means on that level's residuals of <paramref name="z"/>: level 1 on
    /// z, level 2 on z minus the level-1 centres, and so on (standard RQ-VAE practice).</summary>
    public void InitializeWithKMeans(Tensor z, int iterations, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var residual = z.detach();
        for (int m = 0; m < Levels; m++)
        {
            var centres = KMeans.Fit(residual, CodebookSize, iterations, generator);
            codebooks[m].copy_(centres);
            residual = residual - centres.index_select(0, KMeans.Nearest(residual, centres));
        }
    }

    /// <summary>Replaces the given codes of a level by residuals drawn at random from <paramref name="residuals"/>
    /// ([B, D], that level's current residuals), so that dead codes re-enter where the data is.</summary>
    public void Reseed(int level, IReadOnlyList<int> deadCodes, Tensor residuals, Generator generator)
    {
        if (deadCodes.Count == 0) return;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var picks = randint(0, residuals.shape[0], [deadCodes.Count], dtype: int64, device: residuals.device, generator: generator.On(residuals.device));
        var targets = tensor(deadCodes.Select(k => (long)k).ToArray(), device: residuals.device);
        codebooks[level].index_copy_(0, targets, residuals.detach().index_select(0, picks));
    }
}
