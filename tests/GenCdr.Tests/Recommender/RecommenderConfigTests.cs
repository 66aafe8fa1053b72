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
        Assert.Equal(HistoryView.InDomain, new RecommenderConfig().DomainPassHistory);
        var error = Assert.Throws<GenCdrException>(() => new RecommenderConfig { Layout = SequenceLayout.Token }.Validate());
        Assert.Contains("\"DomainPassHistory\": \"Mixed\"", error.Message);
        new RecommenderConfig { Layout = SequenceLayout.Token, DomainPassHistory = HistoryView.Mixed, RouterSelection = SelectionMetric.Recall10 }.Validate();
        new RecommenderConfig { Layout = SequenceLayout.Token, UseDomainExperts = false }.Validate();
    }

    /// <summary>The backbone's history view is mixed by default; the in-domain view exists only in the item layout.</summary>
    [Fact]
    public void An_in_domain_backbone_needs_the_item_layout()
    {
        Assert.Equal(HistoryView.Mixed, new RecommenderConfig().BackboneHistory);
        new RecommenderConfig { BackboneHistory = HistoryView.InDomain }.Validate();
        var error = Assert.Throws<GenCdrException>(() => (new RecommenderConfig().WithPaperLoraSettings() with { BackboneHistory = HistoryView.InDomain }).Validate());
        Assert.Contains("BackboneHistory", error.Message);
    }

    [Fact]
    public void The_token_layout_with_a_user_router_must_select_it_on_recall()
    {
        Assert.Equal(SelectionMetric.LogLikelihood, new RecommenderConfig().RouterSelection);
        var error = Assert.Throws<GenCdrException>(() =>
            new RecommenderConfig { Layout = SequenceLayout.Token, DomainPassHistory = HistoryView.Mixed }.Validate());
        Assert.Contains("\"RouterSelection\": \"Recall10\"", error.Message);
        // no router stage (no domain experts, or no universal experts to mix with): nothing to select
        new RecommenderConfig { Layout = SequenceLayout.Token, DomainPassHistory = HistoryView.Mixed, UseUniversalExperts = false }.Validate();
        new RecommenderConfig { Layout = SequenceLayout.Token, UseDomainExperts = false }.Validate();
        new RecommenderConfig().WithPaperLoraSettings().Validate();
    }

    [Fact]
    public void A_router_fitted_on_held_out_events_needs_the_item_layout()
    {
        Assert.Equal(RouterTargets.TrainingEvents, new RecommenderConfig().RouterTargets);
        new RecommenderConfig { RouterTargets = RouterTargets.HeldOutEvents }.Validate();
        var error = Assert.Throws<GenCdrException>(() => (new RecommenderConfig().WithPaperLoraSettings() with { RouterTargets = RouterTargets.HeldOutEvents }).Validate());
        Assert.Contains("RouterTargets HeldOutEvents", error.Message);
    }

    [Fact]
    public void Only_the_user_router_stage_is_selected_on_the_configured_metric()
    {
        foreach (var metric in new[] { SelectionMetric.Recall10, SelectionMetric.LogLikelihood })
        {
            var plan = StagePlan.For(new RecommenderConfig { RouterSelection = metric }, domainCount: 2);
            Assert.Equal(2, plan.Count(s => s.Stage == Stage.UserRouter));
            Assert.All(plan, s => Assert.Equal(s.Stage == Stage.UserRouter ? metric : SelectionMetric.Recall10, s.Selection));
        }
    }
}
