namespace GenCdr.Tokenization;

/// <summary>Running means of the tokenizer losses over the steps of the current epoch so far.</summary>
/// <param name="Recon">L_recon = ||x − x̂||².</param>
/// <param name="Quant">L_quant of the quantised latent (in stage 2 only its commitment part has a gradient).</param>
/// <param name="Unexplained">||z − Σ e_m||² / ||z||²: the share of the latent's energy the M codes leave unexplained.
/// L_quant is in the latent's own units, and nothing fixes the encoder's scale, so L_quant grows while the encoder
/// spreads its latents out during training; this ratio does not, and is the one to read for the quantiser's fit.</param>
/// <param name="Mtm">L_MTM (stage 1 with UseMtm; otherwise 0).</param>
/// <param name="MtmAccuracy">Fraction of masked codes predicted exactly (0 without MTM).</param>
/// <param name="Kl">Router KL term (stage 2; 0 in stage 1).</param>
/// <param name="Total">The optimised objective.</param>
/// <param name="Collaborative">The collaborative term L_CF (stage 2 with AdapterCollaborativeWeight &gt; 0; otherwise 0).</param>
public sealed record TokenizerLosses(double Recon, double Quant, double Unexplained, double Mtm, double MtmAccuracy, double Kl, double Total,
    double Collaborative = 0);

/// <summary>Which part of the tokenizer is training.</summary>
public enum TokenizerStage { Universal, DomainAdapter }

/// <summary>Reported after every training step (and flagged at the end of each epoch), for progress bars and logs.</summary>
/// <param name="Stage">Stage 1 (universal RQ-VAE) or stage 2 (one domain's adapter and router).</param>
/// <param name="Domain">The domain of stage 2; null in stage 1.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Step">1-based step within the epoch.</param>
/// <param name="Usage">Per-level codebook usage over the epoch; set at the end of a stage-1 epoch only.</param>
public sealed record TrainingProgress(
    TokenizerStage Stage, string? Domain, int Epoch, int Epochs, int Step, int StepsPerEpoch,
    TokenizerLosses Losses, bool EpochCompleted, IReadOnlyList<LevelUsage>? Usage);

/// <summary>Accumulates per-step losses into epoch means.</summary>
internal sealed class LossAccumulator
{
    private double recon, quant, unexplained, mtm, kl, total, collaborative;
    private long correct, masked;
    private int steps;

    public void Add(double recon, double quant, double unexplained, double mtm, long correct, long masked, double kl, double total,
        double collaborative = 0)
    {
        this.collaborative += collaborative;
        this.recon += recon; this.quant += quant; this.unexplained += unexplained; this.mtm += mtm; this.kl += kl; this.total += total;
        this.correct += correct; this.masked += masked;
        steps++;
    }

    public TokenizerLosses Mean()
    {
        double n = Math.Max(steps, 1);
        return new TokenizerLosses(recon / n, quant / n, unexplained / n, mtm / n, masked == 0 ? 0 : correct / (double)masked, kl / n, total / n, collaborative / n);
    }
}
