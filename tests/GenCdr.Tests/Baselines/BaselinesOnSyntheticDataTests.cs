using GenCdr.Baselines;
using GenCdr.Data;
using GenCdr.Evaluation;
using GenCdr.Tests.Synthetic;

namespace GenCdr.Tests.Baselines;

/// <summary>The generated data set's popularity signal is weak but real, and re-buying gives the
/// recent-items baseline something to find.</summary>
public class BaselinesOnSyntheticDataTests
{
    static readonly PreparedDataset Data = SyntheticPreparation.DefaultPrepared;

    /// <summary>A seeded random ranking: the chance level.</summary>
    sealed class RandomRecommender(PreparedDataset data, int seed) : IRecommender
    {
        readonly Random _rng = new(seed);
        public string Name => "Random";
        public IReadOnlyList<int[]> Recommend(IReadOnlyList<RecommendationQuery> queries, int k) =>
            queries.Select(q =>
            {
                var items = Enumerable.Range(0, data.Items[q.TargetDomain].Count).ToArray();
                _rng.Shuffle(items);
                return items.Take(k).ToArray();
            }).ToArray();
    }

    [Fact]
    public void PopularityBeatsRandomButIsFarFromPerfect()
    {
        var popularity = Evaluator.Evaluate(new PopularityRecommender(Data), Data, Split.Test);
        var random = Evaluator.Evaluate(new RandomRecommender(Data, 1), Data, Split.Test);
        foreach (var domain in Data.DomainNames)
        {
            double pop = popularity.Metric(domain, "Recall@10"), chance = random.Metric(domain, "Recall@10");
            Assert.True(pop > 3 * Math.Max(chance, 10.0 / 1500), $"{domain}: popularity {pop:0.0000} vs random {chance:0.0000}");
            Assert.True(pop < 0.15, $"{domain}: popularity {pop:0.0000} is too strong for a weak baseline");
        }
    }

    [Fact]
    public void RecentSameDomainBeatsPopularity()
    {
        var popularity = Evaluator.Evaluate(new PopularityRecommender(Data), Data, Split.Test);
        var recent = Evaluator.Evaluate(new RecentSameDomainRecommender(Data), Data, Split.Test);
        Assert.True(recent.MeanOverDomains("NDCG@10") > popularity.MeanOverDomains("NDCG@10"));
    }
}
