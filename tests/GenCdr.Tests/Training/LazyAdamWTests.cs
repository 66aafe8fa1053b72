using TorchSharp;
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

    /// <summary>A row's bias correction counts its own updates: a row first used after many steps of the others takes
    /// exactly the step a fresh AdamW takes on it (a table-wide count made it 3.2× that: m = 0.1·g against √v ≈ 0.03·|g|),
    /// and so does its next use.</summary>
    [Fact]
    public void A_row_first_used_late_moves_as_a_fresh_AdamW_would()
    {
        var init = tensor(new float[] { 1, -2, 0.5f, 3, 0.25f, -1 }).reshape(2, 3);
        var weight = init.clone().requires_grad_(true);
        using var update = new LazyAdamW(weight, 0.01, weightDecay: 0.1);
        var target = tensor(new float[] { 0.3f, -0.7f, 1.1f });
        // row 0 alone for 500 steps
        for (int step = 0; step < 500; step++)
        {
            (weight[0] * target).pow(2).sum().backward();
            update.Step(tensor(new long[] { 0 }));
        }
        Assert.Equal(init[1].data<float>().ToArray(), weight.detach()[1].data<float>().ToArray());
        // then row 1 twice, beside a fresh AdamW on a copy of it
        var fresh = init[1].clone().requires_grad_(true);
        using var reference = optim.AdamW([new TorchSharp.Modules.Parameter(fresh)], 0.01, weight_decay: 0.1);
        var freshParameter = reference.parameters().Single();
        for (int step = 0; step < 2; step++)
        {
            (weight[1] * target).pow(2).sum().backward();
            update.Step(tensor(new long[] { 1 }));
            reference.zero_grad();
            (freshParameter * target).pow(2).sum().backward();
            reference.step();
            Assert.True(freshParameter.allclose(weight.detach()[1], rtol: 1e-5, atol: 1e-6),
                $"step {step}: {string.Join(", ", weight.detach()[1].data<float>().ToArray())} against {string.Join(", ", freshParameter.data<float>().ToArray())}");
        }
        // AdamW's first steps move each coordinate by about the learning rate (plus the decay, 0.01 · 0.1 · |w| ≤ 0.003),
        // not 3.2× it
        Assert.True((init[1] - weight.detach()[1]).abs().max().item<float>() < 2 * (0.01 + 0.003) + 1e-4);
    }

    /// <summary>A state written with the table-wide step count (a long, then the two moments) is refused, not misread.</summary>
    [Fact]
    public void A_state_of_the_earlier_format_is_refused()
    {
        var weight = ones([4, 2]).requires_grad_(true);
        using var update = new LazyAdamW(weight, 0.1, weightDecay: 0.5);
        using var old = new MemoryStream();
        using (var writer = new BinaryWriter(old, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(3000L);
            zeros([4, 2]).Save(writer);
            zeros([4, 2]).Save(writer);
        }
        old.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => update.LoadState(new BinaryReader(old)));
        Assert.Contains("earlier version", error.Message);
        // and the current format round-trips
        using var current = new MemoryStream();
        using (var writer = new BinaryWriter(current, System.Text.Encoding.UTF8, leaveOpen: true)) update.SaveState(writer);
        current.Position = 0;
        update.LoadState(new BinaryReader(current));
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
