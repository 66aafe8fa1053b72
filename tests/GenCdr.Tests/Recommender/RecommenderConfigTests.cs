using System.Text.Json;
using GenCdr.Recommender;

namespace GenCdr.Tests.Recommender;

public class RecommenderConfigTests
{
    [Fact]
    public void RoundTripsThroughJson()
    {
        var config = new RecommenderConfig { DModel = 64, ExpertGate = ExpertGate.Average, UsePrefixTree = false, PretrainedVocabularySize = 10 };
        var back = JsonSerializer.Deserialize<RecommenderConfig>(JsonSerializer.Serialize(config));
        Assert.Equal(config, back);
    }

    [Fact]
    public void RejectsHeadCountsThatDoNotDivide()
    {
        Assert.Throws<GenCdrException>(() => new RecommenderConfig { DModel = 100, Heads = 3 }.Validate());
        Assert.Throws<GenCdrException>(() => new RecommenderConfig { Heads = 4, KvHeads = 3 }.Validate());
    }
}
