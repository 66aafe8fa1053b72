using GenCdr.Tokenization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// A pre-norm decoder block (Qwen2): x + Attn(RMSNorm(x)), then + MLP(RMSNorm(·)).
/// It also owns the MoE gate of the universal experts for this layer (paper §2a): a router
/// Linear(d, K) whose softmax, computed per token from the block's normalised input, weighs the K experts
/// in all seven projections of the block. With <see cref="ExpertGate.Average"/> the weights are 1/K.
/// </summary>
public sealed class DecoderBlock : nn.Module
{
    readonly RmsNorm input_norm, post_attention_norm;
    readonly GroupedQueryAttention self_attn;
    readonly SwiGluMlp mlp;
    readonly Linear expert_gate;
    readonly Dropout dropout;
    readonly ExpertGate _gateMode;
    readonly int _experts;

    public DecoderBlock(RecommenderConfig config, int domainCount) : base(nameof(DecoderBlock))
    {
        input_norm = new RmsNorm(config.DModel, config.NormEps);
        post_attention_norm = new RmsNorm(config.DModel, config.NormEps);
        self_attn = new GroupedQueryAttention(config, domainCount);
        mlp = new SwiGluMlp(config, domainCount);
        expert_gate = nn.Linear(config.DModel, config.NumUniversalExperts);
        // start the gate at the uniform mixture
        using (no_grad()) { expert_gate.weight!.zero_(); expert_gate.bias!.zero_(); }
        dropout = nn.Dropout(config.Dropout);
        _gateMode = config.ExpertGate;
        _experts = config.NumUniversalExperts;
        RegisterComponents();
    }

    public IEnumerable<LoraLinear> Projections => self_attn.Projections.Concat(mlp.Projections);
    public GroupedQueryAttention Attention => self_attn;
    public SwiGluMlp Mlp => mlp;
    public RmsNorm InputNorm => input_norm;
    public RmsNorm PostAttentionNorm => post_attention_norm;
    /// <summary>The MoE gate's parameters when the gate is trainable (empty in <see cref="ExpertGate.Average"/> mode).</summary>
    public IEnumerable<Parameter> GateParameters() => _gateMode == ExpertGate.MoE ? GateParametersAll() : [];
    internal IEnumerable<Parameter> GateParametersAll() => expert_gate.parameters();

    /// <param name="expertWeights">called with the MoE gate's weights [B, T, K] when the universal experts run (diagnostics)</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, AdapterSelection selection, KvCache? cache, int layer,
        Action<Tensor>? expertWeights = null)
    {
        var h = input_norm.forward(x);
        var gate = selection.Universal ? ExpertWeights(h) : null;
        if (gate is not null) expertWeights?.Invoke(gate);
        x = x + dropout.forward(self_attn.Forward(h, cos, sin, mask, selection, gate, cache, layer));
        var h2 = post_attention_norm.forward(x);
        return x + dropout.forward(mlp.Forward(h2, selection, gate));
    }

    /// <summary>[B, T, K] softmax weights of the universal experts.</summary>
    Tensor ExpertWeights(Tensor h) => _gateMode == ExpertGate.MoE
        ? nn.functional.softmax(expert_gate.forward(h), -1)
        : full(h.shape[0], h.shape[1], _experts, 1.0 / _experts, dtype: h.dtype, device: h.device);
}
