using GenCdr.Data;
using GenCdr.Tokenization;
using static TorchSharp.torch;

namespace GenCdr.Tests.Tokenization;

/// <summary>The optional collaborative term of stage 2 (<see cref="CollaborativeAlignment"/>) and the training
/// transitions it reads (<see cref="TrainingTransitions"/>).</summary>
public class CollaborativeAlignmentTests
{
    static TokenizerConfig Fast => Synthetic.TinyConfig with { Epochs = 10, AdapterEpochs = 8, AdapterLearningRate = 3e-3 };

    [Fact]
    public void The_loss_is_the_symmetric_InfoNCE_of_the_cosine_logits()
    {
        // S = cos / τ = [[1, 0], [0, 1]] / 0.5: each row's cross-entropy is log(1 + e^(−2)), and S is symmetric
        using var from = tensor(new float[] { 3, 0, 0, 2 }, [2, 2]);
        using var to = tensor(new float[] { 1, 0, 0, 5 }, [2, 2]);
        double expected = Math.Log(1 + Math.Exp(-2));
        Assert.Equal(expected, CollaborativeAlignment.Loss(from, to, 0.5).item<float>(), 5);
        // swapping the second pair's partner for the first one's makes that row wrong: a larger loss
        using var crossed = tensor(new float[] { 1, 0, 1, 0 }, [2, 2]);
        Assert.True(CollaborativeAlignment.Loss(from, crossed, 0.5).item<float>() > expected + 0.1);
    }

    /// <summary>Transitions that pair items of different clusters: the paper's objective (weight 0) leaves them apart;
    /// the collaborative term pulls their fused latents together.</summary>
    [Fact]
    public void The_collaborative_term_pulls_the_latents_of_consecutive_items_together()
    {
        var plain = Synthetic.TwoDomains();
        var sports = plain[0];
        var rng = new Random(3);
        var transitions = Enumerable.Range(0, 400).Select(_ => rng.Next(60)).Select(i => (i, 119 - i)).ToArray();
        var withBehaviour = new[] { sports with { Transitions = transitions }, plain[1] };

        double MeanCosine(TokenizerConfig config)
        {
            var tokenizer = TokenizationPipeline.Run(config, withBehaviour).Tokenizer;
            tokenizer.eval();
            using var _ = no_grad();
            using var x = EmbeddingTensors.ToTensor(sports.Embeddings, tokenizer.Config.InputDim, "test");
            var z = nn.functional.normalize(tokenizer.FusedLatent("Sports", x).Latent, dim: -1);
            var a = tensor(transitions.Select(t => (long)t.Item1).ToArray());
            var b = tensor(transitions.Select(t => (long)t.Item2).ToArray());
            return (z.index_select(0, a) * z.index_select(0, b)).sum(-1).mean().item<float>();
        }

        double without = MeanCosine(Fast);
        double with = MeanCosine(Fast with { AdapterCollaborativeWeight = 1f });
        Assert.True(with > without + 0.1, $"mean cosine of the transitions' latents {with:F3} with the term, {without:F3} without");
    }

    [Fact]
    public void With_weight_zero_the_transitions_change_nothing()
    {
        var plain = Synthetic.TwoDomains();
        var withBehaviour = new[] { plain[0] with { Transitions = [(0, 1), (2, 3), (5, 4)] }, plain[1] };
        var a = TokenizationPipeline.Run(Fast, plain).Table;
        var b = TokenizationPipeline.Run(Fast, withBehaviour).Table;
        for (int i = 0; i < plain[0].Count; i++) Assert.Equal(a.Codes("Sports", i), b.Codes("Sports", i));
    }

    [Fact]
    public void Within_domain_transitions_are_consecutive_training_items_of_one_domain()
    {
        var data = GenCdr.Tests.Evaluation.TinyData.RandomHistories();
        var expected = new List<(int, int)>();
        for (int u = 0; u < data.UserCount; u++)
        {
            var own = data.TrainingHistory(u).Where(e => e.Domain == 1).ToArray();
            for (int t = 1; t < own.Length; t++)
                if (own[t - 1].Item != own[t].Item) expected.Add((own[t - 1].Item, own[t].Item));
        }
        Assert.NotEmpty(expected);
        Assert.Equal(expected, TrainingTransitions.WithinDomain(data, 1));
        // no pair ends at a held-out event unless training has the same pair
        var heldOutOnly = data.Validation.Concat(data.Test).Where(h => h.Domain == 1)
            .Select(h => data.Histories[h.User].Take(h.Position).LastOrDefault(e => e.Domain == 1) is { } previous && previous.Item != data.TargetItem(h)
                ? (previous.Item, data.TargetItem(h)) : ((int, int)?)null)
            .Where(p => p is not null && !expected.Contains(p.Value)).ToArray();
        Assert.NotEmpty(heldOutOnly);
        Assert.All(heldOutOnly, p => Assert.DoesNotContain(p!.Value, TrainingTransitions.WithinDomain(data, 1)));
    }

    [Fact]
    public void A_negative_collaborative_weight_is_refused_naming_the_field()
    {
        var error = Assert.Throws<GenCdrException>(() => (Fast with { AdapterCollaborativeWeight = -1f }).Validate());
        Assert.Contains("AdapterCollaborativeWeight", error.Message);
    }
}
