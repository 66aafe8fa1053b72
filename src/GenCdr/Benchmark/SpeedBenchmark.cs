using System.Diagnostics;
using GenCdr.Decoding;
using GenCdr.Recommender;

namespace GenCdr.Benchmark;

/// <summary>One measured throughput: what, how much per wall second and per CPU second.</summary>
public sealed record Throughput(string What, double PerWallSecond, double PerCpuSecond, string Unit);

/// <summary>
/// Speed of the recommender at a given size, on random SIDs (no data needed): training tokens/s per stage, and
/// decoding users/s with the configured beam for tries of growing size (paper Fig. 6: the cost must stay flat,
/// because the constrained search walks the trie and never scores the item pool).
/// </summary>
public static class SpeedBenchmark
{
    /// <summary>A trie over <paramref name="items"/> distinct random SIDs.</summary>
    public static PrefixTrie RandomTrie(int items, int levels, int codes, int seed) =>
        PrefixTrie.Build(levels, RandomSids(items, levels, codes, seed));

    /// <summary><paramref name="items"/> distinct random SIDs.</summary>
    static List<int[]> RandomSids(int items, int levels, int codes, int seed)
    {
        var rng = new Random(seed);
        var sids = new List<int[]>(items);
        var seen = new HashSet<string>();
        while (sids.Count < items)
        {
            var sid = Enumerable.Range(0, levels).Select(_ => rng.Next(codes)).ToArray();
            if (seen.Add(string.Join(",", sid))) sids.Add(sid);
        }
        return sids;
    }

    /// <summary>Decoding prompts of <paramref name="items"/> random history items each, for domain 0.</summary>
    public static List<int[]> RandomPrompts(SidVocabulary vocabulary, int users, int items, int seed)
    {
        var rng = new Random(seed);
        var builder = new SequenceBuilder(vocabulary, items);
        return Enumerable.Range(0, users).Select(_ => builder.BuildPrompt(RandomItems(vocabulary, items, rng), 0)).ToList();
    }

    static List<SidItem> RandomItems(SidVocabulary vocabulary, int items, Random rng) =>
        Enumerable.Range(0, items).Select(_ => new SidItem(rng.Next(vocabulary.DomainCount),
            Enumerable.Range(0, vocabulary.Levels).Select(_ => rng.Next(vocabulary.CodesPerLevel)).ToArray())).ToList();

    static (double Wall, double Cpu) Measure(Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        process.Refresh();
        return (watch.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>Training positions/s (tokens in the token layout, items in the item layout) of one epoch of each stage
    /// over 3 batches of full-length random sequences; on the configuration's pretrained backbone if it has one.</summary>
    public static IEnumerable<Throughput> Training(RecommenderConfig config, SidVocabulary vocabulary, int seed = 1)
    {
        var model = GenerativeRecommender.Create(config, vocabulary);
        var rng = new Random(seed);
        using var table = new ItemCodeTable(vocabulary, RandomCatalog(vocabulary, 1000, seed));
        var sequences = Enumerable.Range(0, config.BatchSize * 3).Select(_ => RandomSequence(config, vocabulary, table, rng)).ToList();
        var trainer = new RecommenderTrainer(model, table);
        string unit = config.Layout == SequenceLayout.Item ? "items" : "tokens";
        // the stages the configuration trains (no stage 0 on a pretrained backbone)
        foreach (var stage in StagePlan.For(config, vocabulary.DomainCount).Select(p => p.Stage).Distinct())
        {
            int? domain = stage is Stage.DomainAdapter or Stage.UserRouter ? 0 : null;
            long positions = sequences.Where(s => domain is null || s.HasTargetIn(0)).Sum(s => (long)s.Length);
            var (wall, cpu) = Measure(() => trainer.TrainEpoch(sequences, stage, domain, rng));
            yield return new Throughput($"train {stage}", positions / wall, positions / cpu, unit);
        }
    }

    /// <summary>Per domain, <paramref name="items"/> distinct random SIDs (the catalog the item layout scores).</summary>
    static IReadOnlyList<IReadOnlyList<int[]>> RandomCatalog(SidVocabulary vocabulary, int items, int seed) =>
        Enumerable.Range(0, vocabulary.DomainCount)
            .Select(d => (IReadOnlyList<int[]>)RandomSids(items, vocabulary.Levels, vocabulary.CodesPerLevel, seed + d)).ToList();

    static IRecommenderSequence RandomSequence(RecommenderConfig config, SidVocabulary vocabulary, ItemCodeTable table, Random rng)
    {
        if (config.Layout == SequenceLayout.Token)
            return new SequenceBuilder(vocabulary, config.MaxItems).Build(RandomItems(vocabulary, config.MaxItems, rng));
        var history = Enumerable.Range(0, config.MaxItems).Select(_ =>
        {
            int d = rng.Next(vocabulary.DomainCount), i = rng.Next(table.ItemCount(d));
            return new IndexedSidItem(new SidItem(d, table.Codes(d, i)), i);
        }).ToList();
        return ItemSequence.Training(history);
    }

    /// <summary>Decoding users/s for catalogs of each size, with the scoring passes given: a beam search over a trie of
    /// that many items in the token layout, exact scoring of that many items in the item layout.</summary>
    public static IEnumerable<Throughput> Decoding(RecommenderConfig config, SidVocabulary vocabulary, ScoringPasses passes,
        IReadOnlyList<int> trieSizes, int users = 256, int seed = 2)
    {
        var model = GenerativeRecommender.Create(config, vocabulary);
        var rng = new Random(seed);
        var histories = Enumerable.Range(0, users).Select(_ => RandomItems(vocabulary, config.MaxItems, rng)).ToList();
        var domains = histories.Select(_ => 0).ToList();
        foreach (int items in trieSizes)
        {
            double wall, cpu;
            if (config.Layout == SequenceLayout.Item)
            {
                using var table = new ItemCodeTable(vocabulary, RandomCatalog(vocabulary, items, items));
                var scorer = new ExactItemScorer(model, table, passes);
                var prompts = histories.Select(h => ItemSequence.Prompt(h, 0)).ToList();
                (wall, cpu) = Measure(() => scorer.Decode(prompts, domains, 10, constrained: true, batchUsers: 256));
                yield return new Throughput($"decode {passes}, {items:N0} items, exact scoring", users / wall, users / cpu, "users");
                continue;
            }
            var trie = RandomTrie(items, vocabulary.Levels, vocabulary.CodesPerLevel, items);
            var search = new ConstrainedBeamSearch(vocabulary, Enumerable.Repeat(trie, vocabulary.DomainCount).ToList());
            var builder = new SequenceBuilder(vocabulary, config.MaxItems);
            var tokenPrompts = histories.Select(h => builder.BuildPrompt(h, 0)).ToList();
            (wall, cpu) = Measure(() => search.Search(new TransformerStepScorer(model, passes), tokenPrompts, domains,
                config.BeamWidth, 10, usersPerBatch: config.DecodeBatchUsers));
            yield return new Throughput($"decode {passes}, {items:N0} items, beam {config.BeamWidth}", users / wall, users / cpu, "users");
        }
    }
}
