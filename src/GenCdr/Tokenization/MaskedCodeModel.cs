using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>Result of the masked-code objective on one batch.</summary>
/// <param name="Loss">L_MTM: mean cross-entropy over the masked positions (scalar).</param>
/// <param name="Correct">Number of masked positions predicted exactly (scalar int64).</param>
/// <param name="Masked">Number of masked positions (scalar int64).</param>
public sealed record MtmOutput(Tensor Loss, Tensor Correct, Tensor Masked);

/// <summary>The context model f_φ of masked token modelling (paper §1a, L_MTM = −Σ_{m∈masked} log p_φ(c_m | c_\masked)).
/// Each item's M codes are embedded, a random subset of positions (at least one, never all) is replaced by a
/// learned [MASK] vector, and an MLP over the M positions predicts the code at every masked position.
/// <para>Design choice: a position's input embedding is computed from the <em>codebook vector</em> e_m of its code
/// (a shared projection, a level embedding, LayerNorm), not from a free lookup table. The gradient of L_MTM
/// therefore reaches the codebooks and shapes the tokens themselves, which is the paper's point ("codes with a
/// contextual grammar"); with private embeddings MTM would train only itself and the "w/o MTM" ablation would
/// change nothing. Prediction heads are per level (own weights): tying them to the codebooks would make the
/// logits scale with the shrinking residual norms of deeper levels. An MLP rather than a transformer: with M = 3
/// positions, an MLP over the concatenation sees every pair and is cheaper.</para></summary>
public sealed class MaskedCodeModel : nn.Module<Tensor, Tensor, MtmOutput>
{
    private readonly Linear inputProjection;
    private readonly Parameter levelEmbeddings;
    private readonly Parameter maskEmbedding;
    private readonly LayerNorm norm;
    private readonly Linear hidden;
    private readonly Linear output;
    private readonly Generator generator;
    private readonly int levels;
    private readonly int codebookSize;
    private readonly float maskRate;

    public MaskedCodeModel(TokenizerConfig config, Generator generator) : base(nameof(MaskedCodeModel))
    {
        levels = config.Levels;
        codebookSize = config.CodebookSize;
        maskRate = config.MaskRate;
        int e = config.MtmEmbeddingDim;
        inputProjection = SeededInit.Linear(config.LatentDim, e, generator);
        levelEmbeddings = new Parameter(empty(levels, e));
        maskEmbedding = new Parameter(empty(e));
        using (no_grad())
        {
            SeededInit.Normal(levelEmbeddings, 0.02, generator);
            SeededInit.Normal(maskEmbedding, 0.02, generator);
        }
        norm = nn.LayerNorm(e);
        hidden = SeededInit.Linear(levels * e, config.MtmHidden, generator);
        output = SeededInit.Linear(config.MtmHidden, levels * codebookSize, generator);
        this.generator = generator;
        RegisterComponents();
    }

    /// <summary>Draws the mask [B, M] (true = masked) on <paramref name="device"/> (default: the module's): each position
    /// with probability MaskRate, then at least one position masked and (when M &gt; 1) at least one visible, chosen by the
    /// same random scores.</summary>
    public Tensor SampleMask(long batch, Device? device = null)
    {
        device ??= Devices.Of(this);
        var scores = rand(batch, levels, device: device, generator: generator.On(device));
        var mask = scores.lt(maskRate);
        var forcedOn = nn.functional.one_hot(scores.argmin(1), levels).to(@bool);
        mask = mask.logical_or(forcedOn.logical_and(mask.any(1, keepdim: true).logical_not()));
        if (levels > 1)
        {
            var forcedOff = nn.functional.one_hot(scores.argmax(1), levels).to(@bool);
            mask = mask.logical_and(forcedOff.logical_and(mask.all(1, keepdim: true)).logical_not());
        }
        return mask;
    }

    /// <summary>Logits [B, M, K] for every position given the code vectors [B, M, D] with masked positions hidden.</summary>
    public Tensor Logits(Tensor codeVectors, Tensor mask)
    {
        var embedded = norm.forward(inputProjection.forward(codeVectors) + levelEmbeddings);
        embedded = where(mask.unsqueeze(-1), maskEmbedding.expand_as(embedded), embedded);
        var h = nn.functional.gelu(hidden.forward(embedded.flatten(1)));
        return output.forward(h).view(-1, levels, codebookSize);
    }

    /// <summary>L_MTM for code vectors [B, M, D] (differentiable w.r.t. the codebooks) and their codes [B, M].</summary>
    public override MtmOutput forward(Tensor codeVectors, Tensor codes) => forward(codeVectors, codes, SampleMask(codes.shape[0], codes.device));

    public MtmOutput forward(Tensor codeVectors, Tensor codes, Tensor mask)
    {
        var logits = Logits(codeVectors, mask);
        var maskedLogits = logits[mask];
        var targets = codes[mask];
        var loss = nn.functional.cross_entropy(maskedLogits, targets);
        var correct = maskedLogits.argmax(1).eq(targets).sum();
        return new MtmOutput(loss, correct, tensor(targets.shape[0], device: targets.device));
    }
}
