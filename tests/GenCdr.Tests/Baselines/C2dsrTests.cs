using GenCdr.Baselines;
using GenCdr.Data;
using GenCdr.Evaluation;
using static TorchSharp.torch;

namespace GenCdr.Tests.Baselines;

[Collection(TorchGeneratorCollection.Name)]
public class C2dsrTests
{
    static readonly SasRecConfig Config = new()
    {
        HiddenSize = 32, MaxLength = 10, Dropout = 0.1, BatchSize = 64, Seed = 3, Encoder = SequenceEncoder.C2dsr, CrossDomainHistory = true,
    };

    /// <summary>Two domains of 20 items; every user alternates a, b, a, b … walking both cycles in step from its own
    /// start (a_s, b_s, a_{s+1}, b_{s+1}, …), so the next item of either domain is a function of the last one.</summary>
    static PreparedDataset Alternating(int users = 200)
    {
        Item[] Items(string domain) => Enumerable.Range(0, 20).Select(i => new Item($"{domain}{i}", domain, ItemText.Empty)).ToArray();
        var rng = new Random(5);
        var histories = Enumerable.Range(0, users).Select(_ =>
        {
            int s = rng.Next(20);
            return Enumerable.Range(0, 10).Select(j => new Event(j % 2, (s + j / 2) % 20, 100 + j)).ToArray();
        }).ToArray();
        return new PreparedDataset("alternating", ["a", "b"], [Items("a"), Items("b")], Enumerable.Range(0, users).Select(u => $"u{u}").ToArray(), histories);
    }

    [Fact]
    public void The_item_graph_links_only_training_transitions()
    {
        // random histories over many items: most held-out transitions occur nowhere in training
        var data = GenCdr.Tests.Evaluation.TinyData.RandomHistories();
        var cross = ItemTransitionGraph.FromTraining(data, crossDomain: true);
        var single = ItemTransitionGraph.FromTraining(data, crossDomain: false);
        long Token(Event e) => 1L + (e.Domain == 0 ? 0 : 20) + e.Item;
        var trainingPairs = new HashSet<(long, long)>();
        for (int u = 0; u < data.UserCount; u++)
        {
            var h = data.TrainingHistory(u);
            for (int t = 1; t < h.Length; t++) { trainingPairs.Add((Token(h[t - 1]), Token(h[t]))); trainingPairs.Add((Token(h[t]), Token(h[t - 1]))); }
        }
        // every edge but the self-loops is a training transition (either direction)
        Assert.All(Enumerable.Range(0, cross.Sources.Length).Where(i => cross.Sources[i] != cross.Targets[i]),
            i => Assert.Contains((cross.Sources[i], cross.Targets[i]), trainingPairs));
        // a held-out event's transitions into it are not edges unless training has them too
        var edges = Enumerable.Range(0, cross.Sources.Length).Select(i => (cross.Sources[i], cross.Targets[i])).ToHashSet();
        int leaked = 0, heldOutPairs = 0;
        foreach (var target in data.Validation.Concat(data.Test))
        {
            var history = data.Histories[target.User];
            if (target.Position == 0) continue;
            var pair = (Token(history[target.Position - 1]), Token(history[target.Position]));
            if (trainingPairs.Contains(pair) || pair.Item1 == pair.Item2) continue;     // (a repeat is a self-loop, which every node has)
            heldOutPairs++;
            if (edges.Contains(pair)) leaked++;
        }
        Assert.True(heldOutPairs > 0, "the check needs held-out transitions that training lacks");
        Assert.Equal(0, leaked);
        // the single-domain graph links items of one domain only; the cross-domain one links a's to b's
        Assert.All(Enumerable.Range(0, single.Sources.Length), i => Assert.Equal(single.Sources[i] <= 20, single.Targets[i] <= 20));
        Assert.Contains(Enumerable.Range(0, cross.Sources.Length), i => cross.Sources[i] <= 20 != cross.Targets[i] <= 20);
        // normalised adjacency with self-loops: Â·1 at node j is Σ_i 1/√(d_i d_j); row 0 (padding) has no edge
        var propagated = ItemTransitionGraph.Propagate(ItemTransitionGraph.Adjacency(tensor(cross.Sources), tensor(cross.Targets), tensor(cross.Weights), cross.Nodes), ones(cross.Nodes, 1));
        Assert.Equal(0f, propagated[0, 0].item<float>());
        Assert.All(propagated[1..].data<float>().ToArray(), v => Assert.True(v > 0));
    }

    [Fact]
    public void The_sparse_propagation_is_the_normalised_adjacency_product_and_a_shared_table_changes_no_score()
    {
        var data = Alternating(30);
        var cross = ItemTransitionGraph.FromTraining(data, crossDomain: true);
        // Â·X against the dense Â written out from the edge list
        var dense = zeros(cross.Nodes, cross.Nodes);
        for (int e = 0; e < cross.Sources.Length; e++) dense[cross.Targets[e], cross.Sources[e]] = cross.Weights[e];
        var x = randn(cross.Nodes, 3, generator: new Generator(4));
        var adjacency = ItemTransitionGraph.Adjacency(tensor(cross.Sources), tensor(cross.Targets), tensor(cross.Weights), cross.Nodes);
        Assert.True(ItemTransitionGraph.Propagate(adjacency, x).allclose(dense.matmul(x), rtol: 0, atol: 1e-5));

        // one table shared by the input and every domain's scores gives exactly the scores of separate tables
        using var network = new SasRecNetwork(Config, [20, 20], graphs: SasRecTrainer.Graphs(data, Config));
        network.eval();
        using var _ = no_grad();
        var tokens = tensor(new long[] { 1, 21, 2, 22 }).unsqueeze(0);
        var positions = arange(4, dtype: ScalarType.Int64).unsqueeze(0);
        Tensor Scores()
        {
            var last = network.Hidden(tokens, positions, zeros_like(tokens)).select(1, -1);
            return cat([network.DomainScores(last, 0), network.DomainScores(last, 1)], -1);
        }
        var separate = Scores();
        Tensor together;
        using (network.ShareGraphTable()) together = Scores();
        Assert.True(together.equal(separate).all().item<bool>());
    }

    [Fact]
    public void A_domains_single_domain_state_ignores_the_other_domains_items_and_carries_forward()
    {
        var data = Alternating(20);
        using var network = new SasRecNetwork(Config, [20, 20], graphs: SasRecTrainer.Graphs(data, Config));
        network.eval();
        using var _ = no_grad();
        Tensor State(params (int Domain, int Item)[] events)
        {
            var (tokens, positions, times) = SasRecInput.Encode([events.Select((e, i) => new Event(e.Domain, e.Item, i)).ToArray()], network);
            return network.Hidden(tokens, positions, times)[0];                               // [T, 3H]
        }
        var one = State((0, 1), (1, 4), (0, 2));
        var other = State((0, 1), (1, 9), (0, 2));                                           // another b item in the middle
        long h = Config.HiddenSize;
        Assert.Equal(3 * h, one.shape[1]);
        Assert.True(one[.., (int)h..(int)(2 * h)].allclose(other[.., (int)h..(int)(2 * h)], atol: 1e-6));      // domain a's state: unchanged
        Assert.False(one[2, ..(int)h].allclose(other[2, ..(int)h], atol: 1e-4));                              // the cross-domain state sees b
        Assert.True(one[1, (int)h..(int)(2 * h)].allclose(one[0, (int)h..(int)(2 * h)]));                       // carried over the b position
        Assert.Equal(0f, one[0, (int)(2 * h)..].abs().sum().item<float>());                                   // no b item yet: no b state
        // the config must give C2DSR its merged history and graphs
        Assert.Contains("CrossDomainHistory", Assert.Throws<GenCdrException>(() => new SasRecNetwork(Config with { CrossDomainHistory = false }, [20, 20])).Message);
        Assert.Contains("item graphs", Assert.Throws<GenCdrException>(() => new SasRecNetwork(Config, [20, 20])).Message);
    }

    /// <summary>Both cross-domain models learn the two interleaved cycles, and their contrastive term (C2DSR's infomax
    /// discriminator, TriCDR's triple InfoNCE) is lower after training than on the untrained network.</summary>
    [Theory]
    [InlineData(SequenceEncoder.C2dsr, "C2DSR", 25)]
    [InlineData(SequenceEncoder.TriCdr, "TriCDR", 50)]
    public void Learns_both_domains_next_items_and_its_contrastive_term_falls(SequenceEncoder encoder, string name, int epochs)
    {
        var data = Alternating();
        var config = Config with { Encoder = encoder, MaxEpochs = epochs, Patience = epochs, LearningRate = 1e-2, ValidationMaxQueries = 200 };
        var (model, report) = new SasRecTrainer(config).Train(data);
        Assert.Equal(name, model.Name);
        var test = Evaluator.Evaluate(model, data, Split.Test, new EvaluationOptions { Ks = [1, 10] });
        foreach (var domain in new[] { "a", "b" })
            Assert.True(test.Metric(domain, "Recall@1") > 0.9, $"{domain}: Recall@1 {test.Metric(domain, "Recall@1"):0.000} " + string.Join(" ", report.Epochs.Select(e => $"{e.Loss:F2}/{e.ValidationRecallAt10:F2}")));
        // C2DSR's discriminator learnt to tell a user's own cross-domain state from a corrupted history's (untrained ≈ ln 2);
        // TriCDR's three views of a user came closer to each other than to other users' views
        double InfoMax(SasRecNetwork network)
        {
            network.eval();
            using var noGrad = no_grad();
            var windows = Enumerable.Range(0, 50).Select(u => (IReadOnlyList<Event>)data.TrainingHistory(u)).ToList();
            var (tokens, positions, times) = SasRecInput.Encode(windows, network);
            return network.ContrastiveLoss(tokens, positions, network.Hidden(tokens, positions, times), new TorchSharp.torch.Generator(9)).item<float>();
        }
        using var fresh = new SasRecNetwork(config, [20, 20], graphs: SasRecTrainer.Graphs(data, config));
        double before = InfoMax(fresh), after = InfoMax(model.Network);
        Assert.True(after < before - 0.05, $"contrastive loss {before:F3} untrained, {after:F3} trained");
        Assert.True(report.Epochs[^1].Loss < 0.5 * report.Epochs[0].Loss, $"loss {report.Epochs[0].Loss:F3} → {report.Epochs[^1].Loss:F3}");
    }
}
