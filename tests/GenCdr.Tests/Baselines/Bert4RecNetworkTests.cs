using GenCdr.Baselines;
using static TorchSharp.torch;

namespace GenCdr.Tests.Baselines;

/// <summary>The encoder is bidirectional, ignores padding, and scores one domain's items at a time.</summary>
[Collection(TorchGeneratorCollection.Name)]
public class Bert4RecNetworkTests
{
    static readonly Bert4RecConfig Small = new()
    {
        HiddenSize = 16, InnerSize = 32, Heads = 2, Layers = 2, MaxLength = 6, Dropout = 0, AttentionDropout = 0,
    };

    static Bert4RecNetwork Network(Bert4RecConfig config)
    {
        manual_seed(5);
        var network = new Bert4RecNetwork(config, [9, 4]);
        network.eval();
        return network;
    }

    static float[] HiddenAt(Bert4RecNetwork network, IReadOnlyList<long[]> sequences, int row, int column)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (tokens, positions) = Bert4RecInput.Encode(sequences, network.Config.MaxLength);
        return network.forward(tokens, positions)[row, column].data<float>().ToArray();
    }

    [Fact]
    public void A_later_token_changes_the_state_of_an_earlier_position()
    {
        var network = Network(Small);
        var v = network.Vocabulary;
        var a = HiddenAt(network, [[v.Item(0, 1), v.Item(0, 2), v.Item(0, 3)]], 0, 0);
        var b = HiddenAt(network, [[v.Item(0, 1), v.Item(0, 2), v.Item(0, 8)]], 0, 0);
        Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) > 1e-3, "position 0 did not see position 2");
    }

    [Fact]
    public void Padding_in_a_batch_does_not_change_a_shorter_sequence()
    {
        var network = Network(Small);
        var v = network.Vocabulary;
        long[] shortOne = [v.Item(0, 4), v.Mask(0)];
        long[] longOne = [v.Item(0, 1), v.Item(1, 2), v.Item(0, 3), v.Item(0, 5), v.Mask(1)];
        var alone = HiddenAt(network, [shortOne], 0, 1);
        var batched = HiddenAt(network, [longOne, shortOne], 1, 4);
        Assert.Equal(alone.Length, batched.Length);
        for (int i = 0; i < alone.Length; i++) Assert.Equal(alone[i], batched[i], 4);
    }

    [Fact]
    public void Domain_scores_cover_exactly_the_items_of_the_domain()
    {
        var network = Network(Small);
        using var scope = NewDisposeScope();
        var hidden = randn(3, Small.HiddenSize);
        Assert.Equal(new long[] { 3, 9 }, network.DomainScores(hidden, 0).shape);
        Assert.Equal(new long[] { 3, 4 }, network.DomainScores(hidden, 1).shape);
    }

    [Fact]
    public void An_untied_output_layer_has_its_own_item_table()
    {
        var tied = Network(Small).parameters().Sum(p => p.numel());
        var untied = Network(Small with { TieOutputToItemEmbedding = false }).parameters().Sum(p => p.numel());
        Assert.Equal((9 + 4) * Small.HiddenSize, untied - tied);
    }

    [Fact]
    public void Padding_row_starts_at_zero_and_weights_use_the_bert_initialiser()
    {
        var network = Network(Small);
        var weights = network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var table = weights["item_embedding.weight"];
        Assert.Equal(0f, table[Bert4RecVocabulary.Pad].abs().sum().item<float>());
        double std = table.narrow(0, 1, table.shape[0] - 1).std().item<float>();
        Assert.InRange(std, 0.015, 0.025);
        Assert.Equal(0f, weights["output_bias"].abs().sum().item<float>());
    }
}
