using System.Diagnostics;
using GenCdr.Recommender;
using GenCdr.Tests.Decoding;
using Xunit.Abstractions;

namespace GenCdr.Tests.Recommender;

/// <summary>Runs only when GENCDR_BENCH=1 (a few minutes of CPU; the machine is shared).</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("GENCDR_BENCH") != "1") Skip = "benchmark: set GENCDR_BENCH=1 to run";
    }
}

/// <summary>Throughput of the default-size recommender: training tokens/s and decoding users/s with beam 20.</summary>
public class RecommenderBenchmarks(ITestOutputHelper output)
{
    // 2 domains, 3 RQ levels + 1 disambiguation level, 256 codes per level: the default tokenizer's shape
    static readonly SidVocabulary Vocabulary = new(2, 4, 256);

    [BenchmarkFact]
    public void TrainingTokensPerSecond()
    {
        var config = new RecommenderConfig();
        var model = new GenerativeRecommender(config, Vocabulary);
        var rng = new Random(1);
        var builder = new SequenceBuilder(Vocabulary, config.MaxItems);
        var sequences = Enumerable.Range(0, config.BatchSize * 12).Select(_ => builder.Build(Enumerable.Range(0, 20)
            .Select(_ => new SidItem(rng.Next(2), Enumerable.Range(0, 4).Select(_ => rng.Next(256)).ToArray())).ToList())).ToList();
        long tokens = sequences.Sum(s => (long)s.Length);
        var trainer = new RecommenderTrainer(model);
        foreach (var stage in new[] { Stage.Backbone, Stage.Universal, Stage.DomainAdapter, Stage.UserRouter })
        {
            int? domain = stage is Stage.DomainAdapter or Stage.UserRouter ? 0 : null;
            long used = stage is Stage.DomainAdapter or Stage.UserRouter
                ? sequences.Where(s => s.TargetDomain.Contains(0)).Sum(s => (long)s.Length) : tokens;
            var watch = Stopwatch.StartNew();
            double loss = trainer.TrainEpoch(sequences, stage, domain, rng);
            output.WriteLine($"{stage}: {used / watch.Elapsed.TotalSeconds:F0} tokens/s ({sequences.Count} sequences × ~{tokens / sequences.Count} tokens, loss {loss:F3}, threads {TorchSharp.torch.get_num_threads()})");
            Assert.True(double.IsFinite(loss));
        }
    }

    [BenchmarkFact]
    public void DecodeUsersPerSecondAndTrieSizeScaling()
    {
        var config = new RecommenderConfig();
        var model = new GenerativeRecommender(config, Vocabulary);
        var prompts = DecodeScalingTests.RandomPrompts(Vocabulary, users: 256, items: 20, seed: 2);
        var times = new List<double>();
        foreach (int items in new[] { 1_000, 10_000, 100_000 })
        {
            var trie = DecodeScalingTests.RandomTrie(items, 4, 256, items);
            double seconds = DecodeScalingTests.DecodeSeconds(model, trie, prompts, config.BeamWidth, runs: 1, out var result);
            times.Add(seconds);
            output.WriteLine($"{items} items: {seconds:F2} s for 256 users ({256 / seconds:F1} users/s), beam {config.BeamWidth}, mixture passes, prompt {prompts[0].Length} tokens");
            Assert.All(result.PerUser, list => Assert.Equal(10, list.Count));
        }
        Assert.True(times[2] < 3 * times[0]);
    }
}
