using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// One SASRec block (paper §III-B/C): causal multi-head self-attention, then a point-wise two-layer
/// feed-forward network, each with layer normalisation, dropout and a residual connection.
/// </summary>
public sealed class SasRecBlock : nn.Module<Tensor, Tensor, Tensor>
{
    readonly LayerNorm attention_norm, ffn_norm;
    readonly Linear query, key, value, output, ffn_in, ffn_out;
    readonly Dropout dropout;
    readonly int _heads, _headDim;
    readonly double _attentionDropout;

    public SasRecBlock(SasRecConfig config) : base(nameof(SasRecBlock))
    {
        int h = config.HiddenSize;
        if (h % config.Heads != 0) throw new GenCdrException($"SASRec: HiddenSize {h} is not divisible by Heads {config.Heads}");
        _heads = config.Heads;
        _headDim = h / config.Heads;
        _attentionDropout = config.Dropout;
        attention_norm = nn.LayerNorm(h, eps: 1e-8);
        ffn_norm = nn.LayerNorm(h, eps: 1e-8);
        query = nn.Linear(h, h);
        key = nn.Linear(h, h);
        value = nn.Linear(h, h);
        output = nn.Linear(h, h);
        ffn_in = nn.Linear(h, h);
        ffn_out = nn.Linear(h, h);
        dropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    /// <param name="x">[B, T, H]</param>
    /// <param name="mask">bool [B, 1, T, T], true where a query position may attend a key position</param>
    public override Tensor forward(Tensor x, Tensor mask)
    {
        long b = x.shape[0], t = x.shape[1];
        var normed = attention_norm.forward(x);
        Tensor Heads(Linear projection) => projection.forward(normed).view(b, t, _heads, _headDim).transpose(1, 2);
        var attended = nn.functional.scaled_dot_product_attention(Heads(query), Heads(key), Heads(value),
            attn_mask: mask, p: training ? _attentionDropout : 0.0);
        x = x + dropout.forward(output.forward(attended.transpose(1, 2).reshape(b, t, _heads * _headDim)));
        var hidden = dropout.forward(nn.functional.relu(ffn_in.forward(ffn_norm.forward(x))));
        return x + dropout.forward(ffn_out.forward(hidden));
    }
}
