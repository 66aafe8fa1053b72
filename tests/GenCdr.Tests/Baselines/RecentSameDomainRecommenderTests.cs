using GenCdr.Baselines;
using GenCdr.Data;
using GenCdr.Evaluation;

namespace GenCdr.Tests.Baselines;

public class RecentSameDomainRecommenderTests
{
    static PreparedDataset Data()
    {
        var a = Enumerable.Range(0, 6).Select(i => new Item($"A{i}", "a", ItemText.Empty)).ToArray();
        var b = Enumerable.Range(0, 3).Select(i => new Item($"B{i}", "b", ItemText.Empty)).ToArray();
        // Nobody has 3 events in a domain, so all are training events. Popularity in a: A5 (2), A4 (1),
        // then by index.
        var histories = new[]
        {
            new Event[] { new(0, 5, 1), new(0, 4, 3), new(1, 0, 4) },
            new Event[] { new(0, 5, 1), new(1, 0, 2) },
        };
        return new PreparedDataset("recent", ["a", "b"], [a, b], ["u0", "u1"], histories);
    }

    [Fact]
    public void MostRecentDistinctItemsOfTheTargetDomainFirstThenPopular()
    {
        var model = new RecentSameDomainRecommender(Data());
        Event[] history = [new(0, 1, 10), new(1, 2, 11), new(0, 2, 12), new(0, 1, 13), new(1, 1, 14)];
        var list = model.Recommend([new RecommendationQuery(0, history, 0)], 5).Single();
        // A1 (latest), A2, then popularity A5, A4, A0 — B items never appear, A1 only once.
        Assert.Equal([1, 2, 5, 4, 0], list);
    }

    [Fact]
    public void TruncatesToKAndFallsBackToPopularityWithoutHistory()
    {
        var model = new RecentSameDomainRecommender(Data());
        Event[] history = [new(0, 3, 10), new(0, 2, 12), new(0, 1, 13)];
        Assert.Equal([1, 2], model.Recommend([new RecommendationQuery(0, history, 0)], 2).Single());
        Assert.Equal([5, 4, 0], model.Recommend([new RecommendationQuery(0, [], 0)], 3).Single());
        Assert.Equal([0, 1, 2], model.Recommend([new RecommendationQuery(0, history, 1)], 3).Single());
    }
}
