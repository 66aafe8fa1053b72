using GenCdr.Baselines;
using GenCdr.Data;
using GenCdr.Evaluation;

namespace GenCdr.Tests.Baselines;

public class PopularityRecommenderTests
{
    /// <summary>Three users buy A0, A1, A2 (A1 validation, A2 test); one buys A3 twice (too few events to
    /// be evaluated, so both are training events).</summary>
    static PreparedDataset Data()
    {
        var a = Enumerable.Range(0, 5).Select(i => new Item($"A{i}", "a", ItemText.Empty)).ToArray();
        var histories = new[]
        {
            new Event[] { new(0, 0, 1), new(0, 1, 2), new(0, 2, 3) },
            new Event[] { new(0, 0, 1), new(0, 1, 2), new(0, 2, 3) },
            new Event[] { new(0, 0, 1), new(0, 1, 2), new(0, 2, 3) },
            new Event[] { new(0, 3, 1), new(0, 3, 2) },
        };
        return new PreparedDataset("pop", ["a"], [a], ["u0", "u1", "u2", "u3"], histories);
    }

    [Fact]
    public void CountsTrainingEventsOnlyAndBreaksTiesByIndex()
    {
        var model = new PopularityRecommender(Data());
        // Held-out A1 and A2 (3 events each) must not count: A0 (3), A3 (2), then A1, A2, A4 (0) by index.
        Assert.Equal([0, 3, 1, 2, 4], model.Ranking(0));
        Assert.Equal(0, model.Count(0, 2));
        var lists = model.Recommend([new RecommendationQuery(0, [], 0), new RecommendationQuery(1, [], 0)], 2);
        Assert.All(lists, l => Assert.Equal([0, 3], l));
    }

    [Fact]
    public void ScoresZeroWhenOnlyHeldOutItemsArePopular()
    {
        var data = Data();
        var result = Evaluator.Evaluate(new PopularityRecommender(data), data, Split.Test, new EvaluationOptions { Ks = [2] });
        Assert.Equal(0.0, result.Metric("a", "Recall@2"));
    }
}
