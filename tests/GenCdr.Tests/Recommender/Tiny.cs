using GenCdr.Recommender;
using static TorchSharp.torch;

namespace GenCdr.Tests.Recommender;

/// <summary>Tiny models and data shared by the recommender tests.</summary>
static class Tiny
{
    public static readonly RecommenderConfig Config = new()
    {
        DModel = 32, Layers = 2, Heads = 4, KvHeads = 2, FfnDim = 64, Dropout = 0, ExpertRank = 4, ExpertAlpha = 8,
        DomainAdapterRank = 4, DomainAdapterAlpha = 8, UserRouterHidden = 16, BatchSize = 8, Seed = 7,
        // the token layout's tests; the item layout's are in ItemLayoutTests
        Layout = SequenceLayout.Token, DomainPassHistory = HistoryView.Mixed, RouterSelection = SelectionMetric.Recall10, LearningRateSchedule = GenCdr.Training.LearningRateSchedule.None,
    };

    public static readonly SidVocabulary Vocabulary = new(domainCount: 2, levels: 3, codesPerLevel: 4);

    public static GenerativeRecommender Model(RecommenderConfig? config = null) => new(config ?? Config, Vocabulary);

    /// <summary>Gives every LoRA B matrix random values, so that tests exercise non-identity adapters.</summary>
    public static void RandomiseAdapters(GenerativeRecommender model, int seed)
    {
        var g = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var (name, p) in model.named_parameters())
            if (name.Contains("univ_B") || name.Contains("dom_B") || name.Contains("expert_gate"))
                p.copy_(randn(p.shape, generator: g) * 0.3);
    }

    /// <summary>Random token sequences of <paramref name="users"/> users with 2–5 items each.</summary>
    public static List<TokenSequence> Sequences(int users, int seed)
    {
        var rng = new Random(seed);
        var builder = new SequenceBuilder(Vocabulary, maxItems: 20);
        return Enumerable.Range(0, users).Select(_ => builder.Build(Enumerable.Range(0, rng.Next(2, 6))
            .Select(_ => new SidItem(rng.Next(2), [rng.Next(4), rng.Next(4), rng.Next(4)])).ToList())).ToList();
    }

    public static Dictionary<string, float[]> Snapshot(nn.Module model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().data<float>().ToArray());
}
