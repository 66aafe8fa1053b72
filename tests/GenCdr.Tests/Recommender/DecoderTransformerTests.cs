using GenCdr.Tokenization;
using GenCdr.Recommender;
using static TorchSharp.torch;

namespace GenCdr.Tests.Recommender;

public class DecoderTransformerTests
{
    static readonly int[][] Prompts = [[1, 4, 6, 10, 14], [1, 5, 7, 11, 15, 4, 6, 10, 14, 5], [1, 5]];
    static readonly long[][] Continuations = [[6, 12, 17], [7, 11, 16], [9, 10, 14]];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KvCacheLogitsEqualAFullForward(bool mixturePasses)
    {
        var model = Tiny.Model();
        Tiny.RandomiseAdapters(model, 3);
        model.eval();
        var net = model.Backbone;
        using var _ = no_grad();
        // stacked universal + domain passes, as the decoder runs them, or the universal pass alone
        var selection = mixturePasses
            ? AdapterSelection.WithDomains(tensor(new long[] { -1, -1, -1, 0, 1, 0 }))
            : AdapterSelection.WithUniversal;
        int copies = mixturePasses ? 2 : 1;
        var prompts = Enumerable.Repeat(Prompts, copies).SelectMany(p => p).ToList();
        var continuations = Enumerable.Repeat(Continuations, copies).SelectMany(c => c).ToList();

        using var cache = new KvCache(net.LayerCount);
        using var prompt = TokenBatch.FromPrompts(prompts);
        var incremental = new List<Tensor> { net.Logits(net.Hidden(prompt.Tokens, prompt.Valid, prompt.Positions, selection, cache))[.., -1] };
        for (int step = 0; step < 3; step++)
        {
            var column = tensor(continuations.Select(c => c[step]).ToArray()).unsqueeze(1);
            incremental.Add(net.Logits(net.Hidden(column, ones_like(column, dtype: @bool), zeros_like(column), selection, cache))[.., -1]);
        }
        // full forward of each row's whole sequence, every row separately (no padding at all)
        for (int row = 0; row < prompts.Count; row++)
        {
            var full = prompts[row].Select(t => (long)t).Concat(continuations[row]).ToArray();
            var rowSelection = mixturePasses
                ? AdapterSelection.WithDomains(tensor(new long[] { row < 3 ? -1 : row == 4 ? 1 : 0 }))
                : AdapterSelection.WithUniversal;
            var tokens = tensor(full).unsqueeze(0);
            var logits = net.Logits(net.Hidden(tokens, ones_like(tokens, dtype: @bool), arange(full.Length, dtype: int64).unsqueeze(0), rowSelection, null))[0];
            for (int step = 0; step <= 3; step++)
            {
                var expected = logits[prompts[row].Length - 1 + step];
                var actual = incremental[step][row];
                Assert.True(expected.allclose(actual, rtol: 0, atol: 1e-5), $"row {row} step {step}: max diff {(expected - actual).abs().max().item<float>()}");
            }
        }
    }

    [Fact]
    public void ReorderedCacheFollowsTheSelectedRows()
    {
        var model = Tiny.Model();
        model.eval();
        var net = model.Backbone;
        using var _ = no_grad();
        using var cache = new KvCache(net.LayerCount);
        using var prompt = TokenBatch.FromPrompts(Prompts);
        net.Hidden(prompt.Tokens, prompt.Valid, prompt.Positions, AdapterSelection.BackboneOnly, cache);
        cache.Reorder(tensor(new long[] { 2, 0, 0 }));
        var column = tensor(new long[] { 6, 6, 7 }).unsqueeze(1);
        var stepped = net.Logits(net.Hidden(column, ones_like(column, dtype: @bool), zeros_like(column), AdapterSelection.BackboneOnly, cache))[.., -1];
        int[] parent = [2, 0, 0];
        for (int i = 0; i < 3; i++)
        {
            var full = Prompts[parent[i]].Select(t => (long)t).Append(column[i, 0].item<long>()).ToArray();
            var expected = net.forward(tensor(full).unsqueeze(0))[0, -1];
            Assert.True(expected.allclose(stepped[i], rtol: 0, atol: 1e-5));
        }
    }

    [Fact]
    public void LeftPaddingDoesNotChangeARowsLogits()
    {
        var model = Tiny.Model();
        model.eval();
        using var _ = no_grad();
        using var batch = TokenBatch.FromPrompts(Prompts);
        var padded = model.Backbone.Logits(model.Backbone.Hidden(batch.Tokens, batch.Valid, batch.Positions, AdapterSelection.BackboneOnly, null));
        var alone = model.Backbone.forward(tensor(Prompts[0].Select(t => (long)t).ToArray()).unsqueeze(0));
        int pad = batch.Width - Prompts[0].Length;
        Assert.True(alone[0].allclose(padded[0, pad..], rtol: 0, atol: 1e-5));
        Assert.False(padded.isnan().any().item<bool>());
    }

    [Fact]
    public void SaveThenLoadGivesIdenticalLogits()
    {
        var model = Tiny.Model();
        Tiny.RandomiseAdapters(model, 5);
        model.eval();
        var path = Path.Combine(Path.GetTempPath(), $"gencdr-rec-{Guid.NewGuid():N}.bin");
        try
        {
            model.SaveTo(path);
            var other = Tiny.Model(Tiny.Config with { Seed = 99 });
            other.LoadFrom(path);
            other.eval();
            using var _ = no_grad();
            using var batch = TokenBatch.FromPrompts(Prompts);
            var selection = AdapterSelection.WithDomains(tensor(new long[] { 0, 1, -1 }));
            var a = model.Backbone.Logits(model.Backbone.Hidden(batch.Tokens, batch.Valid, batch.Positions, selection, null));
            var b = other.Backbone.Logits(other.Backbone.Hidden(batch.Tokens, batch.Valid, batch.Positions, selection, null));
            Assert.True(a.eq(b).all().item<bool>());
            var h = randn(3, 2 * Tiny.Config.DModel);
            for (int d = 0; d < 2; d++) Assert.True(model.Router(d).forward(h).eq(other.Router(d).forward(h)).all().item<bool>());
        }
        finally { File.Delete(path); }
    }
}
