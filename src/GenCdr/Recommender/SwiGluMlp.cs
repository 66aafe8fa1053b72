using GenCdr.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>The Qwen2 feed-forward: down(silu(gate(x)) ⊙ up(x)), all three projections with LoRA paths.</summary>
public sealed class SwiGluMlp : nn.Module
{
    readonly LoraLinear gate_proj, up_proj, down_proj;

    public SwiGluMlp(RecommenderConfig config, int domainCount) : base(nameof(SwiGluMlp))
    {
        gate_proj = BackboneProjection.Create(config.DModel, config.FfnDim, false, config, domainCount);
        up_proj = BackboneProjection.Create(config.DModel, config.FfnDim, false, config, domainCount);
        down_proj = BackboneProjection.Create(config.FfnDim, config.DModel, false, config, domainCount);
        RegisterComponents();
    }

    public LoraLinear GateProj => gate_proj;
    public LoraLinear UpProj => up_proj;
    public LoraLinear DownProj => down_proj;
    public IEnumerable<LoraLinear> Projections => [gate_proj, up_proj, down_proj];

    public Tensor Forward(Tensor x, AdapterSelection selection, Tensor? gate) =>
        down_proj.Forward(
            nn.functional.silu(gate_proj.Forward(x, selection, gate)) * up_proj.Forward(x, selection, gate),
            selection, gate);
}
