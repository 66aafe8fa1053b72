using System.Diagnostics;
using GenCdr.Decoding;
using GenCdr.Recommender;
using GenCdr.Tests.Decoding;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GenCdr.Tests.Recommender;

/// <summary>Runs only when GENCDR_BENCH=1 (about a minute of CPU; the machine is shared).
/// GENCDR_BENCH_THREADS sets torch's thread count for the run.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("GENCDR_BENCH") != "1") Skip = "benchmark: set GENCDR_BENCH=1 to run";
    }
}

/// <summary>Throughput of the default-size recommender: training tokens/s per stage, and decoding users/s with
/// beam 20 for 256 users with 20-item histories over tries of 1k, 10k and 100k random SIDs.</summary>
public class RecommenderBenchmarks(ITestOutputHelper output)
{
    // 2 domains, 3 RQ levels + 1 disambiguation level, 256 codes per level: the default tokenizer's shape
    static readonly SidVocabulary Vocabulary = new(2, 4, 256);
    readonly Process _process = Process.GetCurrentProcess();

    static GenerativeRecommender Model()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("GENCDR_BENCH_THREADS"), out var threads)) set_num_threads(threads);
        return new GenerativeRecommender(new RecommenderConfig(), Vocabulary);
    }

    (double Wall, double Cpu) Measure(Action action)
    {
        _process.Refresh();
        var cpu = _process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        _process.Refresh();
        return (watch.Elapsed.TotalSeconds, (_process.TotalProcessorTime - cpu).TotalSeconds);
    }

    [BenchmarkFact]
    public void TrainingTokensPerSecond()
    {
        var model = Model();
        var rng = new Random(1);
        var builder = new SequenceBuilder(Vocabulary, model.Config.MaxItems);
        var sequences = Enumerable.Range(0, model.Config.BatchSize * 3).Select(_ => builder.Build(Enumerable.Range(0, 20)
            .Select(_ => new SidItem(rng.Next(2), Enumerable.Range(0, 4).Select(_ => rng.Next(256)).ToArray())).ToList())).ToList();
        var trainer = new RecommenderTrainer(model);
        output.WriteLine($"threads {get_num_threads()}, {sequences.Count} sequences of {sequences[0].Length} tokens, batch {model.Config.BatchSize}");
        foreach (var stage in new[] { Stage.Backbone, Stage.Universal, Stage.DomainAdapter, Stage.UserRouter })
        {
            int? domain = stage is Stage.DomainAdapter or Stage.UserRouter ? 0 : null;
            long tokens = sequences.Where(s => domain is null || s.TargetDomain.Contains(0)).Sum(s => (long)s.Length);
            double loss = double.NaN;
            var (wall, cpu) = Measure(() => loss = trainer.TrainEpoch(sequences, stage, domain, rng));
            output.WriteLine($"{stage}: {tokens / wall:F0} tokens/s wall, {tokens / cpu:F0} tokens per CPU-second");
            Assert.True(double.IsFinite(loss));
        }
    }

    [BenchmarkFact]
    public void DecodeUsersPerSecondAndTrieSizeScaling()
    {
        var model = Model();
        var prompts = DecodeScalingTests.RandomPrompts(Vocabulary, users: 256, items: 20, seed: 2);
        var domains = prompts.Select(_ => 0).ToList();
        foreach (var passes in new[] { ScoringPasses.Mixture, ScoringPasses.Universal })
        {
            var cpuTimes = new List<double>();
            foreach (int items in new[] { 1_000, 10_000, 100_000 })
            {
                var trie = DecodeScalingTests.RandomTrie(items, 4, 256, items);
                var search = new ConstrainedBeamSearch(Vocabulary, [trie, trie]);
                DecodeResult? result = null;
                var (wall, cpu) = Measure(() => result = search.Search(new TransformerStepScorer(model, passes), prompts, domains,
                    model.Config.BeamWidth, 10, usersPerBatch: model.Config.DecodeBatchUsers));
                cpuTimes.Add(cpu);
                output.WriteLine($"{passes}, {items} items: {256 / wall:F1} users/s wall, {cpu:F2} CPU-s for 256 users, beam {model.Config.BeamWidth}, prompt {prompts[0].Length} tokens");
                Assert.All(result!.PerUser, list => Assert.Equal(10, list.Count));
            }
            Assert.True(cpuTimes[2] < 2 * cpuTimes[0], "decode cost grew with the number of items");
        }
    }
}
