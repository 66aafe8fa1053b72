using GenCdr.Baselines;
using GenCdr.Data;
using GenCdr.Evaluation;

namespace GenCdr.Tests.Baselines;

/// <summary>Every baseline answers for the query's target domain only: its list holds distinct items of that domain
/// (indices below that domain's item count), as many as the domain has up to k, whichever domain the history is in.</summary>
[Collection(TorchGeneratorCollection.Name)]
public class TargetDomainTests
{
    /// <summary>Domain "a" of 30 items and domain "b" of 6; users alternate a, b, a, b … from their own start.</summary>
    static PreparedDataset Unequal(int users = 80)
    {
        Item[] Items(string domain, int count) => Enumerable.Range(0, count).Select(i => new Item($"{domain}{i}", domain, ItemText.Empty)).ToArray();
        var rng = new Random(8);
        var histories = Enumerable.Range(0, users).Select(_ =>
        {
            int s = rng.Next(30);
            return Enumerable.Range(0, 10).Select(j => new Event(j % 2, j % 2 == 0 ? (s + j) % 30 : (s + j) % 6, 100 + j)).ToArray();
        }).ToArray();
        return new PreparedDataset("unequal", ["a", "b"], [Items("a", 30), Items("b", 6)], Enumerable.Range(0, users).Select(u => $"u{u}").ToArray(), histories);
    }

    static readonly SasRecConfig Quick = new() { HiddenSize = 16, MaxLength = 10, BatchSize = 32, MaxEpochs = 2, Patience = 2, Seed = 4, ValidationMaxQueries = 40, CodeSubvectors = 4, CodeCentroids = 4 };

    /// <summary>A fixed random 8-d "text embedding" per item, for the text item vectors.</summary>
    static IReadOnlyList<IReadOnlyList<float[]>> Text(PreparedDataset data)
    {
        var rng = new Random(2);
        return data.Items.Select(items => (IReadOnlyList<float[]>)items.Select(_ => Enumerable.Range(0, 8).Select(_ => (float)rng.NextDouble()).ToArray()).ToArray()).ToArray();
    }

    public static TheoryData<string> Models => ["SASRec", "SASRec (BCE)", "HSTU", "STOSA", "STOSA (BPR)", "C2DSR", "TriCDR", "LLM4CDSR-style", "VQ-Rec", "BERT4Rec", "Popularity", "RecentSameDomain"];

    static IRecommender Train(string model, PreparedDataset data) => model switch
    {
        "Popularity" => new PopularityRecommender(data),
        "RecentSameDomain" => new RecentSameDomainRecommender(data),
        "BERT4Rec" => new Bert4RecTrainer(new Bert4RecConfig { HiddenSize = 16, InnerSize = 32, MaxLength = 10, BatchSize = 32, MaxEpochs = 2, Seed = 4, ValidationMaxQueries = 40 }).Train(data).Model,
        _ => new SasRecTrainer(model switch
        {
            "SASRec (BCE)" => Quick with { Loss = SasRecLoss.SampledBce },
            "HSTU" => Quick with { Encoder = SequenceEncoder.Hstu },
            "STOSA" => Quick with { Encoder = SequenceEncoder.Stosa },
            "STOSA (BPR)" => Quick with { Encoder = SequenceEncoder.Stosa, Loss = SasRecLoss.StosaBpr },
            "C2DSR" => Quick with { Encoder = SequenceEncoder.C2dsr, CrossDomainHistory = true },
            "TriCDR" => Quick with { Encoder = SequenceEncoder.TriCdr, CrossDomainHistory = true },
            "LLM4CDSR-style" => Quick with { ItemVectors = ItemVectorSource.TextAdapter, CrossDomainHistory = true },
            "VQ-Rec" => Quick with { ItemVectors = ItemVectorSource.TextCodes },
            _ => Quick,
        }).Train(data, itemText: Text(data)).Model,
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Recommends_only_items_of_the_target_domain(string model)
    {
        var data = Unequal();
        var recommender = Train(model, data);
        // every test user asked for both domains, whichever domain their held-out item is in
        var queries = data.Test.SelectMany(h => new[] { 0, 1 }.Select(d => new RecommendationQuery(h.User, data.HistoryBefore(h), d))).ToList();
        var lists = recommender.Recommend(queries, 10);
        for (int q = 0; q < queries.Count; q++)
        {
            int count = data.Items[queries[q].TargetDomain].Count;
            Assert.Equal(Math.Min(10, count), lists[q].Length);
            Assert.All(lists[q], item => Assert.InRange(item, 0, count - 1));
            Assert.Equal(lists[q].Length, lists[q].Distinct().Count());
        }
    }
}
