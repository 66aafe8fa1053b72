using TorchSharp;

namespace GenCdr.Training;

/// <summary>How the learning rate decays after its warm-up.</summary>
public enum LearningRateDecay
{
    /// <summary>Constant after the warm-up (the project's recipe before the schedule).</summary>
    Constant,
    /// <summary>Half a cosine from the base rate down to <see cref="LearningRateSchedule.FinalFactor"/> × base at the
    /// last planned step (ActionPiece, the cornac/Paischer TIGER recipe).</summary>
    Cosine,
}

/// <summary>
/// The learning-rate schedule of every trainer (GenCDR's stages, SASRec, BERT4Rec): a linear warm-up over the first
/// <see cref="WarmupFraction"/> of the planned optimiser steps, then the decay, both planned over a stage's maximum
/// number of steps (its epoch bound × steps per epoch), so a stage that stops early simply ends at a higher rate.
/// The warm-up is a share rather than a step count so that it means the same on 3,000 users and on 70,000. The factor is a pure
/// function of the step, so a resumed stage continues exactly where it stopped.
/// </summary>
public sealed record LearningRateSchedule
{
    /// <summary>Share of the planned steps spent in the linear warm-up. Published recipes: 10 k of 200 k steps = 0.05
    /// (ActionPiece, cornac). Default 0.05; 0 = none.</summary>
    public double WarmupFraction { get; init; } = 0.05;
    /// <summary>Decay after the warm-up. Default cosine.</summary>
    public LearningRateDecay Decay { get; init; } = LearningRateDecay.Cosine;
    /// <summary>The rate at the last planned step, as a share of the base rate (cosine only). Default 0.1.</summary>
    public double FinalFactor { get; init; } = 0.1;

    /// <summary>The constant rate (no warm-up, no decay): what every trainer did before the schedule.</summary>
    public static LearningRateSchedule None { get; } = new() { WarmupFraction = 0, Decay = LearningRateDecay.Constant };

    /// <summary>The multiplier of the base rate at 0-based <paramref name="step"/> of <paramref name="totalSteps"/>.</summary>
    public double Factor(long step, long totalSteps)
    {
        long warmup = WarmupSteps(totalSteps);
        if (step < warmup) return (step + 1.0) / warmup;
        if (Decay == LearningRateDecay.Constant) return 1.0;
        long span = Math.Max(1, totalSteps - 1 - warmup);
        double progress = Math.Clamp((step - warmup) / (double)span, 0, 1);
        return FinalFactor + (1 - FinalFactor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>The warm-up's length in steps for a plan of <paramref name="totalSteps"/> (at least one step when on).</summary>
    public long WarmupSteps(long totalSteps) => WarmupFraction <= 0 ? 0 : Math.Max(1, (long)Math.Round(WarmupFraction * totalSteps));

    /// <summary>Sets every parameter group of <paramref name="optimizer"/> to base × <see cref="Factor"/>, and returns that rate.</summary>
    public double Apply(torch.optim.Optimizer optimizer, double baseRate, long step, long totalSteps)
    {
        double rate = baseRate * Factor(step, totalSteps);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
        return rate;
    }

    /// <summary>Throws a <see cref="GenCdrException"/> naming the first invalid field.</summary>
    public void Validate(string section)
    {
        if (WarmupFraction is < 0 or >= 1) throw new GenCdrException($"{section}.LearningRateSchedule.WarmupFraction must be in [0, 1) (got {WarmupFraction})");
        if (FinalFactor is < 0 or > 1) throw new GenCdrException($"{section}.LearningRateSchedule.FinalFactor must be in [0, 1] (got {FinalFactor})");
    }
}
