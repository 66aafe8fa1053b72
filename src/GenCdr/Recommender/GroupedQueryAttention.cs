using GenCdr.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// Multi-head attention with grouped key/value heads (Qwen2): n_heads query heads share n_kv_heads
/// key/value heads (n_heads / n_kv_heads queries per group), with rotary positions and an optional KV cache.
/// All four projections (q, k, v, o) carry LoRA paths.
/// </summary>
public sealed class GroupedQueryAttention : nn.Module
{
    readonly LoraLinear q_proj, k_proj, v_proj, o_proj;
    readonly int _heads, _kvHeads, _headDim;

    public GroupedQueryAttention(RecommenderConfig config, int domainCount) : base(nameof(GroupedQueryAttention))
    {
        _heads = config.Heads;
        _kvHeads = config.KvHeads;
        _headDim = config.DModel / config.Heads;
        q_proj = BackboneProjection.Create(config.DModel, _heads * _headDim, config.AttentionBias, config, domainCount);
        k_proj = BackboneProjection.Create(config.DModel, _kvHeads * _headDim, config.AttentionBias, config, domainCount);
        v_proj = BackboneProjection.Create(config.DModel, _kvHeads * _headDim, config.AttentionBias, config, domainCount);
        o_proj = BackboneProjection.Create(_heads * _headDim, config.DModel, false, config, domainCount);
        RegisterComponents();
    }

    public LoraLinear QProj => q_proj;
    public LoraLinear KProj => k_proj;
    public LoraLinear VProj => v_proj;
    public LoraLinear OProj => o_proj;
    public IEnumerable<LoraLinear> Projections => [q_proj, k_proj, v_proj, o_proj];

    /// <param name="x">[B, T, d]</param>
    /// <param name="cos">rotary tables [B, 1, T, hd]</param>
    /// <param name="sin">rotary tables [B, 1, T, hd]</param>
    /// <param name="mask">bool [B, 1, T, S], true where a query may attend a key (S = cached + T)</param>
    /// <param name="cache">when given, the new keys/values are appended to layer <paramref name="layer"/></param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, AdapterSelection selection, Tensor? gate,
        KvCache? cache, int layer)
    {
        long b = x.shape[0], t = x.shape[1];
        var q = q_proj.Forward(x, selection, gate).view(b, t, _heads, _headDim).transpose(1, 2);
        var k = k_proj.Forward(x, selection, gate).view(b, t, _kvHeads, _headDim).transpose(1, 2);
        var v = v_proj.Forward(x, selection, gate).view(b, t, _kvHeads, _headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null)
        {
            var (pastK, pastV) = cache.Layer(layer);
            if (pastK is not null && pastV is not null) { k = cat([pastK, k], 2); v = cat([pastV, v], 2); }
            cache.SetLayer(layer, k, v);
        }
        // Grouped-query attention without copying keys/values per query head: the `group` query heads of a
        // key/value head are folded into the query-length axis ([B, kv, group·T, hd]), so that every query row
        // attends the shared keys. Query head h = j·group + g belongs to key/value head j (as repeat_interleave).
        int group = _heads / _kvHeads;
        var grouped = q.reshape(b, _kvHeads, group * t, _headDim);
        var groupedMask = group > 1 ? mask.repeat(1, 1, group, 1) : mask;
        var attended = nn.functional.scaled_dot_product_attention(grouped, k, v, attn_mask: groupedMask)
            .view(b, _heads, t, _headDim);
        return o_proj.Forward(attended.transpose(1, 2).reshape(b, t, _heads * _headDim), selection, gate);
    }
}
