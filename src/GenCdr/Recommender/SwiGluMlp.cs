using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>The Qwen2 feed-forward: down(silu(gate(x)) ⊙ up(x)), all three projections with LoRA paths.</summary>
public sealed class SwiGluMlp : nn.Module
{
    readonly LoraProjection gate_proj, up_proj, down_proj;

    public SwiGluMlp(RecommenderConfig config, int domainCount) : base(nameof(SwiGluMlp))
    {
        gate_proj = new LoraProjection(config.DModel, config.FfnDim, false, config, domainCount);
        up_proj = new LoraProjection(config.DModel, config.FfnDim, false, config, domainCount);
        down_proj = new LoraProjection(config.FfnDim, config.DModel, false, config, domainCount);
        RegisterComponents();
    }

    public LoraProjection GateProj => gate_proj;
    public LoraProjection UpProj => up_proj;
    public LoraProjection DownProj => down_proj;
    public IEnumerable<LoraProjection> Projections => [gate_proj, up_proj, down_proj];

    public Tensor Forward(Tensor x, AdapterSelection selection, Tensor? gate) =>
        down_proj.Forward(
            nn.functional.silu(gate_proj.Forward(x, selection, gate)) * up_proj.Forward(x, selection, gate),
            selection, gate);
}
