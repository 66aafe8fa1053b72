using GenCdr.Recommender;
using GenCdr.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Tests.Recommender;

public class UserRouterTests
{
    /// <summary>Two groups of users: for group A the universal pass is right (P_univ(y) = 0.9, P_dom(y) = 0.1), for group
    /// B the domain pass is; the mixture loss is lowest at w = 1 for A and w = 0 for B. The router must learn to tell them
    /// apart from their states alone.</summary>
    [Fact]
    public void The_router_learns_a_different_weight_for_two_groups_whose_best_weight_differs()
    {
        var router = new UserRouter(dModel: 4, hiddenSize: 16, seed: 3);
        var g = new Generator(5);
        var groupA = randn([64, 8], generator: g) * 0.5 + 1;
        var groupB = randn([64, 8], generator: g) * 0.5 - 1;
        var states = cat([groupA, groupB]);
        var universal = cat([full(64, 0.9f), full(64, 0.1f)]).log();
        var domain = cat([full(64, 0.1f), full(64, 0.9f)]).log();
        using var optimizer = optim.AdamW(router.parameters(), 1e-2);
        router.train();
        for (int step = 0; step < 150; step++)
        {
            using var scope = NewDisposeScope();
            var (w, kl) = router.Route(states);
            var loss = -UserRouter.Mix(w, universal, domain).mean() + 1e-3 * kl;
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        router.eval();
        using var _ = no_grad();
        double a = router.forward(groupA).mean().item<float>(), b = router.forward(groupB).mean().item<float>();
        Assert.True(a - b > 0.6, $"w(A) = {a:F3}, w(B) = {b:F3}");
    }

    [Fact]
    public void The_user_state_is_the_running_mean_beside_the_positions_own_hidden_state()
    {
        var hidden = tensor(new float[] { 9, 9, 1, 2, 3, 4 }, [1, 3, 2]);
        var valid = tensor(new[] { false, true, true }, [1, 3]);
        var state = UserRouter.State(hidden, valid);
        Assert.Equal(new long[] { 1, 3, 4 }, state.shape);
        // the last column: mean of the two real positions (2, 3) beside its own state (3, 4); padding (9, 9) is ignored
        Assert.Equal(new float[] { 2, 3, 3, 4 }, state[0, 2].data<float>().ToArray());
    }

    /// <summary>Two models that differ only in the user router's hidden size must start from
    /// the same weights everywhere outside the routers, in both layouts, so that a comparison of router settings compares
    /// routers and not two backbones (the routers used to be built before the item layout's embeddings, and TorchSharp's
    /// Linear draws its default initialisation from the global generator).</summary>
    [Theory]
    [InlineData(SequenceLayout.Item)]
    [InlineData(SequenceLayout.Token)]
    public void The_router_size_does_not_change_any_other_initial_weight(SequenceLayout layout)
    {
        var config = Tiny.Config with { Layout = layout, ItemIdRows = 8 };
        using var narrow = Tiny.Model(config);
        using var wide = Tiny.Model(config with { UserRouterHidden = config.UserRouterHidden * 2 });
        var wideParameters = wide.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        int compared = 0;
        foreach (var (name, parameter) in narrow.named_parameters())
        {
            if (name.StartsWith("routers.")) continue;
            var other = wideParameters[name];
            Assert.True(parameter.shape.SequenceEqual(other.shape) && parameter.eq(other).all().item<bool>(), $"{name} differs");
            compared++;
        }
        Assert.True(compared > 10);
        Assert.NotEqual(narrow.Router(0).parameters().First().shape, wide.Router(0).parameters().First().shape);
    }

    /// <summary>At initialisation the gate must already depend on its input (issue #12: it was 0.495 ± 0.002 on every
    /// item, with a posterior as wide as the prior and un-normalised MiniLM-sized inputs).</summary>
    [Fact]
    public void A_fresh_gate_on_small_unit_norm_inputs_already_spreads()
    {
        var gate = new VariationalGate(384, 128, new Generator(2));
        var x = nn.functional.normalize(randn([256, 384], generator: new Generator(9)), p: 2, dim: 1);   // entries ≈ 0.05
        gate.eval();
        using var _ = no_grad();
        var g = gate.forward(x).Gate;
        Assert.True(g.std().item<float>() > 0.01, $"std of g {g.std().item<float>():F4}");
        // and training-time sampling is narrow: two samples differ by far less than the spread across inputs
        gate.train();
        var noise = (gate.forward(x).Gate - gate.forward(x).Gate).abs().mean().item<float>();
        Assert.True(noise < 0.5 * g.std().item<float>(), $"sampling noise {noise:F4} vs spread {g.std().item<float>():F4}");
    }
}
