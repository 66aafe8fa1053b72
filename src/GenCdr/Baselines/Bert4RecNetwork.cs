using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// The BERT4Rec network (paper §3): item embedding (with [PAD] and per-domain [MASK] tokens, see
/// <see cref="Bert4RecVocabulary"/>) plus a learned position embedding, layer-normalised and dropped out
/// (Eq. 6), a stack of bidirectional <see cref="Bert4RecLayer"/>s, and the output layer of Eq. 7:
/// P(v) = softmax(GELU(h W + b) Eᵀ + b_O), where E is the item embedding table (or a separate table when
/// <see cref="Bert4RecConfig.TieOutputToItemEmbedding"/> is false). Scores for domain d use that domain's
/// rows only, so every softmax is over the items of one domain.
/// </summary>
public sealed class Bert4RecNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    readonly Embedding item_embedding, position_embedding;
    readonly LayerNorm input_norm;
    readonly Dropout dropout;
    readonly ModuleList<Bert4RecLayer> layers;
    readonly Linear output_transform;
    readonly Parameter output_bias;
    readonly Parameter? output_items;

    public Bert4RecConfig Config { get; }
    public Bert4RecVocabulary Vocabulary { get; }

    public Bert4RecNetwork(Bert4RecConfig config, IReadOnlyList<int> itemCounts) : base(nameof(Bert4RecNetwork))
    {
        if (config.MaxLength < 2) throw new GenCdrException($"BERT4Rec: MaxLength must be ≥ 2 (one event plus [MASK]), was {config.MaxLength}");
        Config = config;
        Vocabulary = new Bert4RecVocabulary(itemCounts);
        int h = config.HiddenSize;
        item_embedding = nn.Embedding(Vocabulary.Size, h, padding_idx: Bert4RecVocabulary.Pad);
        position_embedding = nn.Embedding(config.MaxLength, h);
        input_norm = nn.LayerNorm(h, eps: 1e-12);
        dropout = nn.Dropout(config.Dropout);
        layers = new ModuleList<Bert4RecLayer>(Enumerable.Range(0, config.Layers).Select(_ => new Bert4RecLayer(config)).ToArray());
        output_transform = nn.Linear(h, h);
        output_bias = nn.Parameter(zeros(Vocabulary.ItemTokens));
        if (!config.TieOutputToItemEmbedding) output_items = nn.Parameter(empty(Vocabulary.ItemTokens, h));
        RegisterComponents();
        Initialise(config.InitializerRange);
    }

    /// <summary>BERT's initialisation: weights and embeddings N(0, range²), biases 0, layer norms (1, 0) as
    /// constructed; the [PAD] row stays zero.</summary>
    void Initialise(double range)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("norm.weight") || name.EndsWith("norm.bias")) continue;
            if (name.EndsWith(".bias") || name == "output_bias") parameter.zero_();
            else nn.init.normal_(parameter, 0, range);
        }
        item_embedding.weight![Bert4RecVocabulary.Pad].zero_();
    }

    /// <param name="tokens">int64 [B, T], left-padded with [PAD]</param>
    /// <param name="positions">int64 [B, T], position-embedding index of each column</param>
    /// <returns>hidden states [B, T, H]; every position sees every non-padding position of its row</returns>
    public override Tensor forward(Tensor tokens, Tensor positions)
    {
        long t = tokens.shape[1];
        var valid = tokens.ne(Bert4RecVocabulary.Pad);                                   // [B, T]
        var x = dropout.forward(input_norm.forward(item_embedding.forward(tokens) + position_embedding.forward(positions)));
        // Padded keys are hidden from every query; each position may also see itself, so that the softmax
        // row of a padded query is never empty (its output is ignored).
        var self = eye(t, dtype: ScalarType.Bool, device: tokens.device);
        var mask = (valid.unsqueeze(1).expand(-1, t, -1) | self.unsqueeze(0)).unsqueeze(1);   // [B, 1, T, T]
        foreach (var layer in layers)
            x = layer.forward(x, mask);
        return x;
    }

    /// <summary>Scores of every item of a domain (paper Eq. 7 without the softmax): hidden [N, H] → [N, items of d].</summary>
    public Tensor DomainScores(Tensor hidden, int domain)
    {
        long first = Vocabulary.FirstItemToken(domain), count = Vocabulary.ItemCount(domain);
        var table = output_items is null
            ? item_embedding.weight!.narrow(0, first, count)
            : output_items.narrow(0, first - 1, count);
        var projected = nn.functional.gelu(output_transform.forward(hidden));
        return projected.matmul(table.t()) + output_bias.narrow(0, first - 1, count);
    }
}
