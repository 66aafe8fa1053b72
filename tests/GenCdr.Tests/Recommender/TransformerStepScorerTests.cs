using GenCdr.Tokenization;
using GenCdr.Decoding;
using GenCdr.Recommender;
using static TorchSharp.torch;

namespace GenCdr.Tests.Recommender;

public class TransformerStepScorerTests
{
    [Fact]
    public void MixtureSessionMixesTheTwoPassesWithTheRoutersWeight()
    {
        var model = Tiny.Model();
        Tiny.RandomiseAdapters(model, 21);
        model.eval();
        var v = Tiny.Vocabulary;
        int[][] prompts = [[1, 4, 6, 10, 14, 5], [1, 5, 7, 11, 15, 4, 6, 10, 14, 4]];
        int[] domains = [1, 0];
        using var mixture = new TransformerStepScorer(model, ScoringPasses.Mixture).Begin(prompts, domains);
        using var universal = new TransformerStepScorer(model, ScoringPasses.Universal).Begin(prompts, domains);
        using var domain = new TransformerStepScorer(model, ScoringPasses.Domain).Begin(prompts, domains);

        Tensor w;
        using (no_grad())
        using (var batch = TokenBatch.FromPrompts(prompts))
        {
            var hidden = model.Backbone.Hidden(batch.Tokens, batch.Valid, batch.Positions, AdapterSelection.WithUniversal, null);
            w = model.UserWeight(UserRouter.State(hidden, batch.Valid)[.., -1], tensor(domains.Select(d => (long)d).ToArray()));
        }
        Assert.True(w.gt(0).all().item<bool>() && w.lt(1).all().item<bool>());
        Check(mixture, universal, domain, w, v.Size);

        long[] parents = [1, 0, 0], tokens = [v.CodeToken(0, 2), v.CodeToken(0, 1), v.CodeToken(0, 3)];
        foreach (var s in new[] { mixture, universal, domain }) s.Advance(parents, tokens);
        Check(mixture, universal, domain, w.index_select(0, tensor(parents)), v.Size);
    }

    static void Check(IScoringSession mixture, IScoringSession universal, IScoringSession domain, Tensor w, int size)
    {
        var lu = tensor(universal.NextScores(0, size)).view(-1, size).log_softmax(-1);
        var ld = tensor(domain.NextScores(0, size)).view(-1, size).log_softmax(-1);
        var expected = (w.unsqueeze(1) * lu.exp() + (1 - w.unsqueeze(1)) * ld.exp()).log();
        var actual = tensor(mixture.NextScores(0, size)).view(-1, size);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 1e-4), $"max diff {(expected - actual).abs().max().item<float>()}");
    }
}
