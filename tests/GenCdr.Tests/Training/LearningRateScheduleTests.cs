using GenCdr.Training;

namespace GenCdr.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void Warm_up_is_linear_and_the_cosine_ends_at_the_final_factor()
    {
        var schedule = new LearningRateSchedule { WarmupFraction = 0.1, FinalFactor = 0.2 };
        const long total = 101;                                  // warm-up: 10 steps; cosine over steps 10..100
        Assert.Equal(10, schedule.WarmupSteps(total));
        Assert.Equal(0.1, schedule.Factor(0, total), 12);
        Assert.Equal(0.5, schedule.Factor(4, total), 12);
        Assert.Equal(1.0, schedule.Factor(10, total), 12);       // the peak, first step of the decay
        // half way through the decay: 0.2 + 0.8 · ½(1 + cos(π/2)) = 0.6
        Assert.Equal(0.6, schedule.Factor(55, total), 12);
        Assert.Equal(0.2, schedule.Factor(100, total), 12);
        Assert.Equal(0.2, schedule.Factor(500, total), 12);      // past the plan (a stage resumed beyond its bound)
        for (long s = 11; s < total; s++) Assert.True(schedule.Factor(s, total) < schedule.Factor(s - 1, total));
    }

    [Fact]
    public void None_is_constant_and_bad_values_are_rejected_with_their_field()
    {
        Assert.All(new long[] { 0, 1, 50, 99 }, s => Assert.Equal(1.0, LearningRateSchedule.None.Factor(s, 100)));
        Assert.Equal(1.0, new LearningRateSchedule { WarmupFraction = 0, Decay = LearningRateDecay.Constant }.Factor(7, 10));
        var e = Assert.Throws<GenCdrException>(() => new LearningRateSchedule { WarmupFraction = 1.5 }.Validate("SasRec"));
        Assert.Contains("SasRec.LearningRateSchedule.WarmupFraction", e.Message);
        Assert.Throws<GenCdrException>(() => new LearningRateSchedule { FinalFactor = -0.1 }.Validate("Recommender"));
    }

    [Fact]
    public void Apply_sets_every_parameter_group_of_an_optimizer()
    {
        var p = new TorchSharp.Modules.Parameter(TorchSharp.torch.zeros(2));
        var optimizer = TorchSharp.torch.optim.AdamW([p], 1e-3);
        new LearningRateSchedule { WarmupFraction = 0.5, FinalFactor = 0 }.Apply(optimizer, 0.01, 0, 10);
        Assert.Equal(0.002, optimizer.ParamGroups.Single().LearningRate, 12);
    }
}
