using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// One BERT4Rec Transformer layer (paper §3.3, Eqs. 1–5), as in BERT: bidirectional multi-head
/// self-attention, then a position-wise feed-forward network with GELU; each sub-layer is followed by
/// dropout, a residual connection and layer normalisation (post-norm: LN(x + Dropout(sublayer(x)))).
/// </summary>
public sealed class Bert4RecLayer : nn.Module<Tensor, Tensor, Tensor>
{
    readonly Linear query, key, value, output, ffn_in, ffn_out;
    readonly LayerNorm attention_norm, ffn_norm;
    readonly Dropout dropout;
    readonly int _heads, _headDim;
    readonly double _attentionDropout;

    public Bert4RecLayer(Bert4RecConfig config) : base(nameof(Bert4RecLayer))
    {
        int h = config.HiddenSize;
        if (h % config.Heads != 0) throw new GenCdrException($"BERT4Rec: HiddenSize {h} is not divisible by Heads {config.Heads}");
        _heads = config.Heads;
        _headDim = h / config.Heads;
        _attentionDropout = config.AttentionDropout;
        query = nn.Linear(h, h);
        key = nn.Linear(h, h);
        value = nn.Linear(h, h);
        output = nn.Linear(h, h);
        ffn_in = nn.Linear(h, config.InnerSize);
        ffn_out = nn.Linear(config.InnerSize, h);
        attention_norm = nn.LayerNorm(h, eps: 1e-12);
        ffn_norm = nn.LayerNorm(h, eps: 1e-12);
        dropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    /// <param name="x">[B, T, H]</param>
    /// <param name="mask">bool [B, 1, T, T], true where a query position may attend a key position (every
    /// non-padding key, in both directions: this is what makes the model bidirectional)</param>
    public override Tensor forward(Tensor x, Tensor mask)
    {
        long b = x.shape[0], t = x.shape[1];
        Tensor Heads(Linear projection) => projection.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);
        var attended = nn.functional.scaled_dot_product_attention(Heads(query), Heads(key), Heads(value),
            attn_mask: mask, p: training ? _attentionDropout : 0.0);
        var merged = output.forward(attended.transpose(1, 2).reshape(b, t, _heads * _headDim));
        x = attention_norm.forward(x + dropout.forward(merged));
        var hidden = ffn_out.forward(nn.functional.gelu(ffn_in.forward(x)));
        return ffn_norm.forward(x + dropout.forward(hidden));
    }
}
