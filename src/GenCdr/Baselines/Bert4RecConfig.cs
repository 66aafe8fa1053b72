using GenCdr.Training;
namespace GenCdr.Baselines;

/// <summary>
/// Hyper-parameters of the BERT4Rec baseline (Sun et al., "BERT4Rec: Sequential Recommendation with
/// Bidirectional Encoder Representations from Transformer", CIKM 2019). The paper's value is given where it
/// has one, and RecBole's where that is what practitioners use; the defaults suit a 2-core CPU.
/// </summary>
public sealed record Bert4RecConfig
{
    /// <summary>Width of item/position embeddings and of every layer. Paper: 64 (also 16–256 studied); RecBole: 64.</summary>
    public int HiddenSize { get; init; } = 64;
    /// <summary>Transformer layers. Paper: 2; RecBole: 2.</summary>
    public int Layers { get; init; } = 2;
    /// <summary>Attention heads. Paper: 2; RecBole: 2.</summary>
    public int Heads { get; init; } = 2;
    /// <summary>Inner width of the GELU feed-forward network. Paper: 4 × hidden (256); RecBole: 256.</summary>
    public int InnerSize { get; init; } = 256;
    /// <summary>Longest input, [MASK] included: at inference the last MaxLength − 1 events plus the appended
    /// [MASK]. Paper: 50 (Beauty, Steam), 200 (MovieLens); RecBole: 50.</summary>
    public int MaxLength { get; init; } = 50;
    /// <summary>Probability that each position of a Cloze training sequence is masked (at least one always is).
    /// Paper: 0.2 (ML-1m), 0.4 (Steam), 0.6 (Amazon Beauty); RecBole: 0.2. Ours 0.6, the paper's value for short
    /// Amazon sequences: on the generated data set (≈ 8 training events per sequence) 0.2 gives too few targets
    /// per epoch and reached validation Recall@10 0.069 against 0.090 with 0.6 (same everything else).</summary>
    public double MaskProbability { get; init; } = 0.6;
    /// <summary>Probability that a training sample masks only its last item instead of random positions: the
    /// paper's extra "mask the last item" samples (§3.6), which match the inference input. RecBole (ft_ratio): 0.5.</summary>
    public double LastItemOnlyProbability { get; init; } = 0.5;
    /// <summary>Dropout on embeddings and on every sub-layer output. Paper: 0.1; RecBole: 0.2.</summary>
    public double Dropout { get; init; } = 0.2;
    /// <summary>Dropout on attention weights. Paper: 0.1; RecBole: 0.2.</summary>
    public double AttentionDropout { get; init; } = 0.2;
    /// <summary>Standard deviation of the normal initialisation of weights and embeddings. Paper/BERT: 0.02.</summary>
    public double InitializerRange { get; init; } = 0.02;
    /// <summary>True (paper Eq. 7): output logits are dot products with the input item embeddings (plus a
    /// per-item bias). False: a separate output embedding table of the same shape.</summary>
    public bool TieOutputToItemEmbedding { get; init; } = true;
    /// <summary>AdamW learning rate. Paper (Adam, linear decay): 1e-4; RecBole: 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Warm-up and decay of <see cref="LearningRate"/> (planned over <see cref="MaxEpochs"/>), the schedule every
    /// trainer of the project shares. Default: 5 % warm-up, cosine to 0.1 × (the paper: constant).</summary>
    public LearningRateSchedule LearningRateSchedule { get; init; } = new();
    /// <summary>AdamW weight decay. Paper: 0.01; RecBole: 0.</summary>
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Sequences per step. Paper: 256; RecBole: 256 (train_batch_size); ours 128.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Upper bound on epochs. Paper: up to 400k steps; ours 60 (early stopping ends sooner; Cloze
    /// training needs more epochs than next-item training, since each epoch sees one random mask per sequence).</summary>
    public int MaxEpochs { get; init; } = 60;
    /// <summary>Stop after this many validations without a better Recall@10. RecBole (stopping_step): 10. Cloze training
    /// sits on a popularity-level plateau for several epochs before it starts to use the sequence (BERT4Rec is
    /// known to converge slowly); with 5 the merged-history run on the generated data stopped inside that plateau.</summary>
    public int Patience { get; init; } = 10;
    /// <summary>The fraction of <see cref="MaxEpochs"/> during which training never stops early (the project's one
    /// <see cref="Training.StoppingRule"/>). Default 0: patience alone decides.</summary>
    public double EarlyStoppingAfter { get; init; }
    /// <summary>Validate (and consider stopping) every this many epochs. Default 1.</summary>
    public int ValidateEvery { get; init; } = 1;
    /// <summary>Validation users per domain used for early stopping (a fixed sample; null: all). Default 2,000, the
    /// same as GenCDR's <see cref="Training.TrainingSchedule.ValidationQueries"/>: every model is selected on the same
    /// users (issue #11).</summary>
    public int? ValidationMaxQueries { get; init; } = Training.TrainingSchedule.DefaultValidationQueries;
    /// <summary>Seed of initialisation, dropout, masking and batch order.</summary>
    public int Seed { get; init; } = 42;
    /// <summary>
    /// False (the paper's single-domain BERT4Rec): the input is the history of the target domain only.
    /// True: the merged cross-domain history, each domain's item ids shifted into one shared id space, and
    /// masked positions of every domain are training targets (softmax over that item's domain). Each domain
    /// has its own [MASK] token, so the model knows which domain a masked position asks for.
    /// </summary>
    public bool CrossDomainHistory { get; init; }
}
