using System.Text.Json;
using GenCdr.Recommender;

namespace GenCdr.Tests.Recommender;

public class RecommenderConfigTests
{
    [Fact]
    public void RoundTripsThroughJson()
    {
        var config = new RecommenderConfig { DModel = 64, ExpertGate = ExpertGate.Average, UsePrefixTree = false, PretrainedBackbone = "/models/qwen", PretrainedBackboneSha256 = "ab12" };
        var back = JsonSerializer.Deserialize<RecommenderConfig>(JsonSerializer.Serialize(config));
        Assert.Equal(config, back);
    }

    [Fact]
    public void RejectsHeadCountsThatDoNotDivide()
    {
        Assert.Throws<GenCdrException>(() => new RecommenderConfig { DModel = 100, Heads = 3 }.Validate());
        Assert.Throws<GenCdrException>(() => new RecommenderConfig { Heads = 4, KvHeads = 3 }.Validate());
    }

    /// <summary>The in-domain domain pass is the default (issue #12) but exists only in the item layout: a token-layout
    /// model with domain experts must say Mixed, and is told so; without domain experts (TIGER) there is no domain pass.</summary>
    [Fact]
    public void The_token_layout_with_domain_experts_must_choose_the_mixed_domain_pass()
    {
        Assert.Equal(DomainPassHistory.InDomain, new RecommenderConfig().DomainPassHistory);
        var error = Assert.Throws<GenCdrException>(() => new RecommenderConfig { Layout = SequenceLayout.Token }.Validate());
        Assert.Contains("\"DomainPassHistory\": \"Mixed\"", error.Message);
        new RecommenderConfig { Layout = SequenceLayout.Token, DomainPassHistory = DomainPassHistory.Mixed }.Validate();
        new RecommenderConfig { Layout = SequenceLayout.Token, UseDomainExperts = false }.Validate();
    }
}
