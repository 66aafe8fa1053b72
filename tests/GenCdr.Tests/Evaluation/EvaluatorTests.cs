using GenCdr.Data;
using GenCdr.Evaluation;

namespace GenCdr.Tests.Evaluation;

public class EvaluatorTests
{
    static readonly PreparedDataset Data = TinyData.Create();

    [Theory]
    [InlineData(Split.Validation)]
    [InlineData(Split.Test)]
    public void PerfectModelScoresOneEverywhere(Split split)
    {
        var result = Evaluator.Evaluate(new FakeRecommender(Data, split, FakeRecommender.Perfect), Data, split);
        Assert.Equal(["a", "b"], result.Domains.Select(d => d.Domain));
        Assert.All(result.Domains, d => Assert.All(d.Metrics.Values, v => Assert.Equal(1.0, v)));
        Assert.Equal(["Recall@5", "NDCG@5", "Recall@10", "NDCG@10"], result.Domains[0].Metrics.Keys);
        Assert.Equal(split, result.Split);
        Assert.Equal("Fake", result.Model);
    }

    /// <summary>A model whose log P(target) is −(1 + item index) in domain a and −(10 + item index) in domain b, and
    /// whose rank of the target is its index mod 20.</summary>
    sealed class IndexLikelihood : ITargetLikelihood
    {
        public List<int> Seen { get; } = [];
        public TargetScore[] ScoreTargets(IReadOnlyList<RecommendationQuery> queries, IReadOnlyList<int> targets)
        {
            Seen.AddRange(targets);
            return queries.Zip(targets, (q, t) => new TargetScore(-(q.TargetDomain == 0 ? 1.0 : 10.0) - t, t % 20)).ToArray();
        }
    }

    [Fact]
    public void The_likelihood_evaluation_averages_each_domains_held_out_items_then_the_domains()
    {
        var model = new IndexLikelihood();
        var result = Evaluator.EvaluateLikelihood(model, Data, Split.Test, k: 10);
        double DomainMean(int d, Func<int, double> f) => Data.Test.Where(h => h.Domain == d).Average(h => f(Data.TargetItem(h)));
        Assert.Equal((DomainMean(0, t => -1.0 - t) + DomainMean(1, t => -10.0 - t)) / 2, result.LogLikelihood, 12);
        Assert.Equal((DomainMean(0, t => t % 20 < 10 ? 1 : 0) + DomainMean(1, t => t % 20 < 10 ? 1 : 0)) / 2, result.Recall, 12);
        Assert.Equal(10, result.K);
        // exactly the held-out items of the split, each once
        Assert.Equal(Data.Test.Select(Data.TargetItem).Order(), model.Seen.Order());
    }

    [Fact]
    public void A_user_half_evaluates_only_the_users_of_that_parity()
    {
        foreach (var half in new[] { UserHalf.Even, UserHalf.Odd })
        {
            var model = new FakeRecommender(Data, Split.Test, FakeRecommender.Perfect);
            var result = Evaluator.Evaluate(model, Data, Split.Test, users: half);
            var expected = Data.Test.Where(h => Evaluator.InHalf(h.User, half)).Select(h => (h.User, h.Domain)).Order().ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, result.Rankings.Select(r => (r.Target.User, r.Target.Domain)).Order());
        }
    }

    [Fact]
    public void AlwaysWrongModelScoresZero()
    {
        var result = Evaluator.Evaluate(new FakeRecommender(Data, Split.Test, FakeRecommender.AlwaysWrong), Data, Split.Test);
        Assert.All(result.Domains, d => Assert.All(d.Metrics.Values, v => Assert.Equal(0.0, v)));
    }

    [Fact]
    public void ThirdPlaceGivesNdcgOneHalf()
    {
        var result = Evaluator.Evaluate(new FakeRecommender(Data, Split.Test, FakeRecommender.ThirdPlace), Data, Split.Test);
        Assert.Equal(1.0, result.Metric("a", "Recall@5"));
        Assert.Equal(0.5, result.Metric("a", "NDCG@5"), 12);
        Assert.Equal(0.5, result.Metric("b", "NDCG@10"), 12);
    }

    [Fact]
    public void OnlyUsersWithThreeOrMoreEventsInADomainAreEvaluatedThere()
    {
        var result = Evaluator.Evaluate(new FakeRecommender(Data, Split.Test, FakeRecommender.Perfect), Data, Split.Test);
        Assert.Equal(3, result.Domains[0].UsersEvaluated); // u0, u1, u3
        Assert.Equal(2, result.Domains[1].UsersEvaluated); // u0, u3 (u1 has one b event, u2 two)
        Assert.Equal(5, result.Rankings.Count);
        Assert.DoesNotContain(result.Rankings, r => r.Target.User == 2);
    }

    [Fact]
    public void MixedResultsAreAveragedPerDomain()
    {
        // Right for user 0 only: domain a has 3 users, so Recall = 1/3; domain b has 2, so 1/2.
        var model = new PerUserModel(Data, Split.Test, goodUser: 0);
        var result = Evaluator.Evaluate(model, Data, Split.Test);
        Assert.Equal(1.0 / 3, result.Metric("a", "Recall@10"), 12);
        Assert.Equal(0.5, result.Metric("b", "Recall@10"), 12);
        Assert.Equal((1.0 / 3 + 0.5) / 2, result.MeanOverDomains("Recall@10"), 12);
    }

    [Fact]
    public void BatchSizeDoesNotChangeResults()
    {
        var one = new FakeRecommender(Data, Split.Validation, FakeRecommender.ThirdPlace);
        var r1 = Evaluator.Evaluate(one, Data, Split.Validation, new EvaluationOptions { BatchSize = 1 });
        var r256 = Evaluator.Evaluate(new FakeRecommender(Data, Split.Validation, FakeRecommender.ThirdPlace), Data, Split.Validation);
        Assert.All(one.BatchSizes, n => Assert.Equal(1, n));
        Assert.Equal(5, one.BatchSizes.Count);
        Assert.Equal(r256.Domains.SelectMany(d => d.Metrics), r1.Domains.SelectMany(d => d.Metrics));
    }

    [Fact]
    public void MaxQueriesTakesTheSameFixedSampleEachTime()
    {
        var options = new EvaluationOptions { MaxQueries = 2, SampleSeed = 5 };
        var r1 = Evaluator.Evaluate(new FakeRecommender(Data, Split.Test, FakeRecommender.Perfect), Data, Split.Test, options);
        var r2 = Evaluator.Evaluate(new FakeRecommender(Data, Split.Test, FakeRecommender.Perfect), Data, Split.Test, options);
        Assert.Equal(2, r1.Domains[0].UsersEvaluated);
        Assert.Equal(3, r1.Domains[0].UsersEligible);
        Assert.Equal(2, r1.Domains[1].UsersEvaluated);
        Assert.Equal(r1.Rankings.Select(r => r.Target), r2.Rankings.Select(r => r.Target));
    }

    [Fact]
    public void DomainsAndCutOffsCanBeChosen()
    {
        var options = new EvaluationOptions { Domains = ["B"], Ks = [1, 3] };
        var result = Evaluator.Evaluate(new FakeRecommender(Data, Split.Test, FakeRecommender.ThirdPlace), Data, Split.Test, options);
        var b = Assert.Single(result.Domains);
        Assert.Equal("b", b.Domain);
        Assert.Equal(0.0, b.Metrics["Recall@1"]);
        Assert.Equal(1.0, b.Metrics["Recall@3"]);
        Assert.All(result.Rankings, r => Assert.Equal(3, r.Ranked.Length));
    }

    [Fact]
    public void ProgressRisesToOne()
    {
        var seen = new List<double>();
        var progress = new SynchronousProgress(seen.Add);
        Evaluator.Evaluate(new FakeRecommender(Data, Split.Test, FakeRecommender.Perfect), Data, Split.Test,
            new EvaluationOptions { BatchSize = 2 }, progress);
        Assert.Equal(1.0, seen[^1]);
        Assert.True(seen.Count >= 3);
        Assert.Equal(seen.Order(), seen);
    }

    [Fact]
    public void ContractViolationsAreCaught()
    {
        Assert.Throws<InvalidOperationException>(() =>
            Evaluator.Evaluate(new FakeRecommender(Data, Split.Test, (_, n) => [n]), Data, Split.Test));
        Assert.Throws<InvalidOperationException>(() =>
            Evaluator.Evaluate(new FakeRecommender(Data, Split.Test, (t, _) => [t, t]), Data, Split.Test));
        Assert.Throws<GenCdrException>(() => Evaluator.Evaluate(new FakeRecommender(Data, Split.Test, FakeRecommender.Perfect),
            Data, Split.Test, new EvaluationOptions { Ks = [0] }));
    }

    /// <summary>Perfect for one user, wrong for everyone else.</summary>
    sealed class PerUserModel(PreparedDataset data, Split split, int goodUser) : IRecommender
    {
        public string Name => "PerUser";
        public IReadOnlyList<int[]> Recommend(IReadOnlyList<RecommendationQuery> queries, int k) =>
            queries.Select(q =>
            {
                var h = data.HeldOutOf(split).Single(x => x.User == q.User && x.Domain == q.TargetDomain);
                int n = data.Items[q.TargetDomain].Count, target = data.TargetItem(h);
                return (q.User == goodUser ? FakeRecommender.Perfect(target, n) : FakeRecommender.AlwaysWrong(target, n)).Take(k).ToArray();
            }).ToArray();
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
