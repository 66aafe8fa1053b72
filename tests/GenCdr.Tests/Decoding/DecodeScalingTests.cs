using System.Diagnostics;
using GenCdr.Decoding;
using GenCdr.Recommender;
using Xunit.Abstractions;

namespace GenCdr.Tests.Decoding;

/// <summary>Paper Fig. 6: decoding cost must not grow with the item pool (the trie is walked, items are never scored).</summary>
public class DecodeScalingTests(ITestOutputHelper output)
{
    internal static PrefixTrie RandomTrie(int items, int levels, int codes, int seed)
    {
        var rng = new Random(seed);
        var trie = new PrefixTrie(levels);
        var seen = new HashSet<string>();
        while (trie.Count < items)
        {
            var sid = Enumerable.Range(0, levels).Select(_ => rng.Next(codes)).ToArray();
            if (seen.Add(string.Join(",", sid))) trie.Add(sid, trie.Count);
        }
        return trie;
    }

    /// <summary>Median wall time of decoding <paramref name="prompts"/> over a trie, in seconds.</summary>
    internal static double DecodeSeconds(GenerativeRecommender model, PrefixTrie trie, IReadOnlyList<int[]> prompts,
        int beamWidth, int runs, out DecodeResult result)
    {
        var search = new ConstrainedBeamSearch(model.Vocabulary, Enumerable.Repeat(trie, model.Vocabulary.DomainCount).ToList());
        var scorer = new TransformerStepScorer(model, TransformerStepScorer.PassesFor(model.Config));
        var domains = prompts.Select(_ => 0).ToList();
        var times = new List<double>();
        result = search.Search(scorer, prompts, domains, beamWidth, 10, usersPerBatch: model.Config.DecodeBatchUsers); // warm-up
        for (int r = 0; r < runs; r++)
        {
            var watch = Stopwatch.StartNew();
            result = search.Search(scorer, prompts, domains, beamWidth, 10, usersPerBatch: model.Config.DecodeBatchUsers);
            times.Add(watch.Elapsed.TotalSeconds);
        }
        return times.Order().ElementAt(times.Count / 2);
    }

    internal static List<int[]> RandomPrompts(SidVocabulary vocabulary, int users, int items, int seed)
    {
        var rng = new Random(seed);
        var builder = new SequenceBuilder(vocabulary, items);
        return Enumerable.Range(0, users).Select(_ => builder.BuildPrompt(Enumerable.Range(0, items)
            .Select(_ => new SidItem(rng.Next(vocabulary.DomainCount),
                Enumerable.Range(0, vocabulary.Levels).Select(_ => rng.Next(vocabulary.CodesPerLevel)).ToArray())).ToList(), 0)).ToList();
    }

    [Fact]
    public void DecodeTimeIsNearlyFlatFromOneThousandToTwentyThousandItems()
    {
        var vocabulary = new SidVocabulary(1, 4, 64);
        var config = new RecommenderConfig { DModel = 32, Layers = 2, Heads = 4, KvHeads = 2, FfnDim = 64, Dropout = 0, Seed = 3 };
        var model = new GenerativeRecommender(config, vocabulary);
        var prompts = RandomPrompts(vocabulary, users: 8, items: 5, seed: 1);
        double small = DecodeSeconds(model, RandomTrie(1_000, 4, 64, 1), prompts, 20, 3, out var a);
        double large = DecodeSeconds(model, RandomTrie(20_000, 4, 64, 2), prompts, 20, 3, out var b);
        output.WriteLine($"1k items: {small * 1000:F1} ms, 20k items: {large * 1000:F1} ms");
        Assert.All(a.PerUser.Concat(b.PerUser), list => Assert.Equal(10, list.Count));
        // generous bound: the machine is shared, single runs can be several times slower (platform notes)
        Assert.True(large < 4 * small + 0.1, $"decode time grew from {small:F3}s to {large:F3}s for 20× the items");
    }
}
