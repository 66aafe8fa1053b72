using GenCdr.Decoding;
using GenCdr.Recommender;
using GenCdr.Benchmark;

namespace GenCdr.Tests.Decoding;

/// <summary>Paper Fig. 6: decoding cost must not grow with the item pool (the trie is walked, items are never scored).</summary>
public class DecodeScalingTests
{
    /// <summary>Counts the work a search asks of the model: rows scored per step.</summary>
    sealed class CountingScorer(IStepScorer inner) : IStepScorer
    {
        public long RowsScored;
        public IScoringSession Begin(IReadOnlyList<int[]> prompts, IReadOnlyList<int> targetDomains) =>
            new Session(this, inner.Begin(prompts, targetDomains));

        sealed class Session(CountingScorer owner, IScoringSession inner) : IScoringSession
        {
            public int Rows => inner.Rows;
            public float[] NextScores(int first, int count) { owner.RowsScored += inner.Rows; return inner.NextScores(first, count); }
            public void Advance(long[] parentRows, long[] tokens) => inner.Advance(parentRows, tokens);
            public void Dispose() => inner.Dispose();
        }
    }

    /// <summary>The model is asked for at most beam width × levels rows per user whether the domain has 1,000 or
    /// 20,000 items: the trie is walked, items are never scored. A larger pool may cost somewhat more, up to that
    /// bound, because fewer prefixes have a single item below them (those are completed without scoring).
    /// Wall-time curves (paper Fig. 6) are measured by `gencdr bench speed`, not asserted in a test.</summary>
    [Fact]
    public void TheWorkOfADecodeDoesNotGrowWithTheItemPool()
    {
        var vocabulary = new SidVocabulary(1, 4, 64);
        var config = new RecommenderConfig { DModel = 32, Layers = 1, Heads = 4, KvHeads = 2, FfnDim = 64, Dropout = 0, Seed = 3, Layout = SequenceLayout.Token, DomainPassHistory = HistoryView.Mixed, RouterSelection = SelectionMetric.Recall10 };
        var model = new GenerativeRecommender(config, vocabulary);
        var prompts = SpeedBenchmark.RandomPrompts(vocabulary, users: 8, items: 5, seed: 1);
        long Work(PrefixTrie trie, out DecodeResult result)
        {
            var scorer = new CountingScorer(new TransformerStepScorer(model, ScoringPasses.Backbone));
            var search = new ConstrainedBeamSearch(vocabulary, [trie]);
            result = search.Search(scorer, prompts, prompts.Select(_ => 0).ToList(), beamWidth: 20, k: 10);
            return scorer.RowsScored;
        }
        long small = Work(SpeedBenchmark.RandomTrie(1_000, 4, 64, 1), out var a);
        long large = Work(SpeedBenchmark.RandomTrie(20_000, 4, 64, 2), out var b);
        Assert.All(a.PerUser.Concat(b.PerUser), list => Assert.Equal(10, list.Count));
        Assert.True(small <= large, $"{small} rows scored for 1,000 items, {large} for 20,000");
        Assert.True(large <= prompts.Count * 20L * vocabulary.Levels, $"{large} rows scored");
    }
}
