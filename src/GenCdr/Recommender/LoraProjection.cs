using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// A linear projection of the backbone with LoRA paths (paper §2a–§2b):
/// y = W x + b + (α_u/r_u) Σ_k g_k B_k A_k x  [universal experts, gated]  + (α_d/r_d) B_d A_d x  [domain d].
/// B matrices start at zero, so every adapter starts as the identity of the frozen layer.
/// The universal experts are stored stacked ([K, r, in], [K, out, r]) because they are always used and
/// trained together; the domain adapters are separate parameters so that training one domain's adapter
/// (with weight decay) leaves the others untouched.
/// </summary>
public sealed class LoraProjection : nn.Module<Tensor, Tensor>
{
    readonly Linear @base;
    readonly Parameter univ_A, univ_B;
    readonly ParameterList dom_A, dom_B;
    readonly Dropout lora_dropout;
    readonly double _universalScale, _domainScale;
    readonly int _experts, _expertRank;

    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Linear Base => @base;

    public LoraProjection(int inFeatures, int outFeatures, bool bias, RecommenderConfig config, int domainCount)
        : base(nameof(LoraProjection))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        _experts = config.NumUniversalExperts;
        _expertRank = config.ExpertRank;
        _universalScale = config.ExpertAlpha / config.ExpertRank;
        _domainScale = config.DomainAdapterAlpha / config.DomainAdapterRank;
        @base = nn.Linear(inFeatures, outFeatures, hasBias: bias);
        // A as in LoRA/PEFT: uniform(±1/√in) (kaiming-uniform with a = √5); B = 0.
        double bound = 1.0 / Math.Sqrt(inFeatures);
        univ_A = new Parameter(empty(_experts, _expertRank, inFeatures).uniform_(-bound, bound));
        univ_B = new Parameter(zeros(_experts, outFeatures, _expertRank));
        dom_A = new ParameterList();
        dom_B = new ParameterList();
        for (int d = 0; d < domainCount; d++)
        {
            dom_A.Add(new Parameter(empty(config.DomainAdapterRank, inFeatures).uniform_(-bound, bound)));
            dom_B.Add(new Parameter(zeros(outFeatures, config.DomainAdapterRank)));
        }
        lora_dropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    /// <summary>The frozen layer alone.</summary>
    public override Tensor forward(Tensor x) => @base.forward(x);

    /// <summary>The layer with the selected adapters. <paramref name="gate"/> [B, T, K] weighs the universal
    /// experts (softmax of the MoE router, or 1/K).</summary>
    public Tensor Forward(Tensor x, AdapterSelection selection, Tensor? gate)
    {
        var y = @base.forward(x);
        if (!selection.Universal && selection.DomainPerRow is null) return y;
        var xd = lora_dropout.forward(x);
        long b = x.shape[0], t = x.shape[1];
        // Each LoRA path is added by one fused y + H·B' (addmm) on the flattened tokens, with the scale folded
        // into the small B' ([K·r or D·r, out]): no full-size intermediate per path.
        var flat = y.view(b * t, OutFeatures);
        if (selection.Universal)
        {
            if (gate is null) throw new ArgumentNullException(nameof(gate), "the universal experts need gate weights");
            // all K experts' A in one matmul: [B·T, K·r], each expert's block weighed by its gate
            var h = xd.reshape(b * t, InFeatures).matmul(univ_A.reshape(_experts * _expertRank, InFeatures).t()).view(b * t, _experts, _expertRank);
            h = (h * gate.reshape(b * t, _experts, 1)).view(b * t, _experts * _expertRank);
            var stackedB = univ_B.permute(0, 2, 1).reshape(_experts * _expertRank, OutFeatures) * _universalScale;
            flat = flat.addmm(h, stackedB);
        }
        if (selection.DomainPerRow is { } domains)
        {
            // All domains' A matrices in one matmul, [B, T, D·r]; a per-row one-hot mask keeps each row's own
            // domain block (all zero for rows with −1), then one matmul with the stacked B matrices.
            // With a handful of domains this beats gathering per-row A/B copies by far.
            int count = dom_A.Count, rank = (int)dom_A[0].shape[0];
            var h = xd.matmul(cat(dom_A.ToArray(), 0).t());
            var owner = arange(count, dtype: int64).repeat_interleave(rank);                 // [D·r]: domain of each column
            var keep = domains.unsqueeze(1).eq(owner.unsqueeze(0)).to_type(x.dtype).unsqueeze(1); // [B, 1, D·r]
            var stackedB = cat(dom_B.Select(b => b.t()).ToArray(), 0) * _domainScale;        // [D·r, out]
            flat = flat.addmm((h * keep).view(b * t, count * rank), stackedB);
        }
        return flat.view(b, t, OutFeatures);
    }

    public IEnumerable<Parameter> BaseParameters() => @base.parameters();
    public IEnumerable<Parameter> UniversalParameters() => [univ_A, univ_B];
    public IEnumerable<Parameter> DomainParameters(int domain) => [dom_A[domain], dom_B[domain]];
}
