using GenCdr.Training;
using static TorchSharp.torch;

namespace GenCdr.Tests.Training;

public class LazyAdamWTests
{
    [Fact]
    public void With_every_row_used_in_every_step_it_is_AdamW()
    {
        var g = new Generator(3);
        var init = randn([5, 3], generator: g);
        var dense = init.clone().requires_grad_(true);
        var lazy = init.clone().requires_grad_(true);
        using var reference = optim.AdamW([new TorchSharp.Modules.Parameter(dense)], 0.01, weight_decay: 0.1);
        var denseParameter = reference.parameters().Single();
        using var update = new LazyAdamW(lazy, 0.01, weightDecay: 0.1);
        var all = arange(5, dtype: ScalarType.Int64);
        for (int step = 0; step < 10; step++)
        {
            var target = randn([5, 3], generator: g);
            reference.zero_grad();
            (denseParameter * target).pow(2).sum().backward();
            reference.step();
            (lazy * target).pow(2).sum().backward();
            update.Step(all);
        }
        Assert.True(denseParameter.allclose(lazy, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Rows_a_step_does_not_use_are_left_exactly_as_they_were()
    {
        var weight = ones([4, 2]).requires_grad_(true);
        using var update = new LazyAdamW(weight, 0.1, weightDecay: 0.5);
        (weight[1].sum() + weight[3].sum() * 2).backward();
        update.Step(tensor(new long[] { 1, 3 }));
        var rows = weight.detach();
        Assert.Equal(new float[] { 1, 1 }, rows[0].data<float>().ToArray());
        Assert.Equal(new float[] { 1, 1 }, rows[2].data<float>().ToArray());
        Assert.True(rows[1].lt(1).all().item<bool>() && rows[3].lt(1).all().item<bool>());
        Assert.Null(weight.grad);   // dropped after the step
    }
}
