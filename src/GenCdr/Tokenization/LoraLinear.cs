using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>
/// The project's one LoRA module (Hu et al. 2022): a linear layer W x + b with low-rank paths, used by the tokenizer's
/// encoder (paper §1b: one adapter per domain) and by every projection of the recommender's backbone (§2a–§2b):
/// <code>
/// y = W x + b + (α_u/r_u) Σ_k g_k B_k A_k x̃   [K universal experts, weighed by the MoE gate g]
///             + (α_d/r_d) B_d A_d x̃           [the adapter of each row's domain d]      x̃ = dropout(x)
/// </code>
/// B starts at zero, so an untrained path changes nothing; A is U(±1/√in) (Kaiming-uniform with a = √5, as in LoRA/PEFT).
/// <see cref="AdapterSelection"/> says which paths a pass uses. The universal experts are stored stacked ([K, r, in],
/// [K, out, r]) because they are always used and trained together; the domain adapters are separate parameters, added one
/// per domain, so that training one domain's adapter (with weight decay) leaves the others untouched.
/// <para>With a <see cref="Generator"/> every random number (initialisation, dropout) comes from it, which the tokenizer
/// needs for repeatable semantic IDs (<see cref="SeededInit"/>); without one, from torch's global generator, which the
/// recommender seeds per model and per epoch.</para>
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    readonly Linear @base;
    readonly Parameter? univ_A, univ_B;
    readonly ParameterList dom_A = new(), dom_B = new();
    readonly Generator? _generator;
    readonly double _dropout, _universalScale;
    readonly int _experts, _expertRank;
    double _domainScale;

    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Linear Base => @base;
    /// <summary>The number of domain adapters added so far.</summary>
    public int DomainAdapters => dom_A.Count;

    /// <param name="dropout">dropout on the LoRA paths' input (paper: 0.05)</param>
    /// <param name="experts">K universal experts of rank <paramref name="expertRank"/> and scale α/r (0: none)</param>
    public LoraLinear(int inFeatures, int outFeatures, bool bias, double dropout, Generator? generator = null,
        int experts = 0, int expertRank = 1, double expertAlpha = 1) : base(nameof(LoraLinear))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        _generator = generator;
        _dropout = dropout;
        _experts = experts;
        _expertRank = expertRank;
        _universalScale = expertAlpha / expertRank;
        @base = generator is null ? nn.Linear(inFeatures, outFeatures, hasBias: bias) : SeededInit.Linear(inFeatures, outFeatures, generator, bias);
        if (experts > 0)
        {
            univ_A = new Parameter(empty(experts, expertRank, inFeatures));
            InitA(univ_A);
            univ_B = new Parameter(zeros(experts, outFeatures, expertRank));
        }
        RegisterComponents();
    }

    /// <summary>Appends the adapter of the next domain (every domain adapter has the same rank and α).</summary>
    public void AddDomainAdapter(int rank, double alpha)
    {
        if (dom_A.Count > 0 && (dom_A[0].shape[0] != rank || Math.Abs(_domainScale - alpha / rank) > 1e-12))
            throw new GenCdrException("every domain adapter of a layer needs the same rank and α");
        var a = new Parameter(empty(rank, InFeatures));
        InitA(a);
        dom_A.Add(a);
        dom_B.Add(new Parameter(zeros(OutFeatures, rank)));
        _domainScale = alpha / rank;
    }

    void InitA(Tensor a)
    {
        double bound = 1.0 / Math.Sqrt(InFeatures);
        if (_generator is null) using (no_grad()) a.uniform_(-bound, bound);
        else SeededInit.Uniform(a, bound, _generator);
    }

    /// <summary>The base layer alone.</summary>
    public override Tensor forward(Tensor x) => @base.forward(x);

    /// <summary>The layer with the selected paths on x [..., in] (rows along the first dimension). <paramref name="gate"/>
    /// [..., K] weighs the universal experts (softmax of the MoE gate, or 1/K).</summary>
    public Tensor Forward(Tensor x, AdapterSelection selection, Tensor? gate)
    {
        var y = @base.forward(x);
        if (!selection.Universal && selection.DomainPerRow is null) return y;
        var xd = _dropout <= 0 || !training ? x
            : _generator is null ? nn.functional.dropout(x, _dropout, training) : SeededInit.Dropout(x, _dropout, training, _generator);
        long rows = x.numel() / InFeatures;
        // Each LoRA path is added by one fused y + H·B' (addmm) on the flattened rows, with the scale folded into the
        // small B' ([K·r or D·r, out]): no full-size intermediate per path.
        var flat = y.reshape(rows, OutFeatures);
        var flatX = xd.reshape(rows, InFeatures);
        if (selection.Universal)
        {
            if (univ_A is null || univ_B is null) throw new InvalidOperationException("this layer has no universal experts");
            if (gate is null) throw new ArgumentNullException(nameof(gate), "the universal experts need gate weights");
            // all K experts' A in one matmul: [rows, K·r], each expert's block weighed by its gate
            var h = flatX.matmul(univ_A.reshape(_experts * _expertRank, InFeatures).t()).view(rows, _experts, _expertRank);
            h = (h * gate.reshape(rows, _experts, 1)).view(rows, _experts * _expertRank);
            var stackedB = univ_B.permute(0, 2, 1).reshape(_experts * _expertRank, OutFeatures) * _universalScale;
            flat = flat.addmm(h, stackedB);
        }
        if (selection.DomainPerRow is { } domains)
        {
            if (dom_A.Count == 0) throw new InvalidOperationException("this layer has no domain adapters");
            // All domains' A matrices in one matmul, [rows, D·r]; a one-hot mask per row of the first dimension keeps its
            // own domain's block (all zero for rows with −1), then one matmul with the stacked B matrices. With a handful
            // of domains this beats gathering per-row A/B copies by far.
            int count = dom_A.Count, rank = (int)dom_A[0].shape[0];
            var h = xd.matmul(cat(dom_A.ToArray(), 0).t());                                          // [..., D·r]
            var owner = arange(count, dtype: int64, device: x.device).repeat_interleave(rank);      // [D·r]: each column's domain
            var keep = domains.unsqueeze(1).eq(owner.unsqueeze(0)).to_type(x.dtype);                // [B, D·r]
            for (long d = 2; d < x.dim(); d++) keep = keep.unsqueeze(1);                            // broadcast over the middle dims
            var stackedB = cat(dom_B.Select(b => b.t()).ToArray(), 0) * _domainScale;               // [D·r, out]
            flat = flat.addmm((h * keep).reshape(rows, count * rank), stackedB);
        }
        return flat.view(y.shape);
    }

    public IEnumerable<Parameter> BaseParameters() => @base.parameters();
    public IEnumerable<Parameter> UniversalParameters() => univ_A is null ? [] : [univ_A, univ_B!];
    public IEnumerable<Parameter> DomainParameters(int domain) => [dom_A[domain], dom_B[domain]];
}
