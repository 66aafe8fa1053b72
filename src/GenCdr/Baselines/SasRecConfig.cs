using GenCdr.Training;
namespace GenCdr.Baselines;

/// <summary>The training objective of SASRec.</summary>
public enum SasRecLoss
{
    /// <summary>Cross-entropy over every item of the target's domain at each position ("SASRec+" of Klenitskiy &amp;
    /// Vasilev, RecSys 2023, who show it clearly beats the original loss). Our default.</summary>
    FullSoftmax,
    /// <summary>The paper's loss (Eq. 10): binary cross-entropy of the target against one negative item drawn
    /// uniformly from the domain's items outside the training window. This is the SASRec of published tables.</summary>
    SampledBce,
    /// <summary>STOSA's objective (Fan et al., WWW 2022, Eq. 10–11), for <see cref="SequenceEncoder.Stosa"/> only: BPR over the
    /// Wasserstein scores against one sampled negative, −log σ(s_pos − s_neg), plus λ·[W₂²(u, pos) − W₂²(pos, neg)]₊ (the
    /// positive-vs-negative term, weight <see cref="SasRecConfig.PvnWeight"/>), which keeps the positive item's Gaussian
    /// nearer the user's than the negative's is to the positive's.</summary>
    StosaBpr,
}

/// <summary>The sequence encoder of the next-item network.</summary>
public enum SequenceEncoder
{
    /// <summary>SASRec's blocks: causal softmax self-attention and a point-wise feed-forward network (<see cref="SasRecBlock"/>).</summary>
    SelfAttention,
    /// <summary>HSTU's sequential transduction units (Zhai et al., ICML 2024): pointwise SiLU attention with a relative
    /// position and time bias and a gating (<see cref="HstuBlock"/>), read out through L2-normalised embeddings with a
    /// temperature (<see cref="SasRecConfig.Temperature"/>). As in the official generative-recommenders code, HSTU and
    /// SASRec share the input (item embedding × √H + learned position embedding), the training windows and the loss.</summary>
    Hstu,
    /// <summary>STOSA's stochastic self-attention (Fan et al., WWW 2022): items and positions are Gaussians (a mean and a
    /// covariance embedding), attention weighs keys by the negative Wasserstein distance of their Gaussians and items are
    /// scored by it (<see cref="StosaEncoder"/>). Trained here with SASRec's full-softmax cross-entropy over those scores
    /// (STOSA's own loss is BPR with one sampled negative plus its positive-vs-negative term).</summary>
    Stosa,
    /// <summary>C2DSR (Cao et al., CIKM 2022): graph-propagated item embeddings over the training transitions, single-domain
    /// encoders beside the cross-domain one and a contrastive infomax term (<see cref="C2dsrEncoder"/>); reads the merged
    /// history (<see cref="SasRecConfig.CrossDomainHistory"/> must be on) and is trained with full-softmax cross-entropy
    /// plus <see cref="SasRecConfig.InfoMaxWeight"/> × the infomax loss.</summary>
    C2dsr,
    /// <summary>TriCDR (Ma et al., ACM TOIS 2024): target, source and mixed sequences with their own encoders, triple
    /// cross-domain attention and triple contrastive learning (<see cref="TriCdrEncoder"/>); reads the merged history
    /// (<see cref="SasRecConfig.CrossDomainHistory"/> must be on), full-softmax cross-entropy plus
    /// <see cref="SasRecConfig.TripleContrastWeight"/> × the contrastive loss.</summary>
    TriCdr,
}

/// <summary>Where the item vectors of the next-item network come from.</summary>
public enum ItemVectorSource
{
    /// <summary>A free embedding per item (SASRec, HSTU).</summary>
    Id,
    /// <summary>A trainable adapter of the item's frozen text embedding (<see cref="TextItemAdapter"/>): LLM4CDSR's item
    /// representation (Liu et al., SIGIR 2025, frozen LLM embeddings through an adapter).</summary>
    TextAdapter,
    /// <summary>The mean of trainable embeddings of the item's text codes (<see cref="TextCodeItemVectors"/>, codes from
    /// <see cref="ProductQuantizer"/>): VQ-Rec's item representation (Hou et al., WWW 2023).</summary>
    TextCodes,
}

/// <summary>
/// Hyper-parameters of the SASRec baseline (Kang &amp; McAuley, "Self-Attentive Sequential Recommendation",
/// ICDM 2018). The paper's values are given where it has one; the defaults suit a 2-core CPU.
/// </summary>
public sealed record SasRecConfig
{
    /// <summary>Width of item/position embeddings and of every block. Paper: 50; ours: 64.</summary>
    public int HiddenSize { get; init; } = 64;
    /// <summary>Self-attention blocks. Paper: 2.</summary>
    public int Blocks { get; init; } = 2;
    /// <summary>Attention heads. Paper: 1.</summary>
    public int Heads { get; init; } = 1;
    /// <summary>Most recent events kept as input. Paper: 50 (Amazon), 200 (MovieLens).</summary>
    public int MaxLength { get; init; } = 50;
    /// <summary>Dropout on embeddings, attention weights and block outputs. Paper: 0.2 (0.5 on sparse data).</summary>
    public double Dropout { get; init; } = 0.2;
    /// <summary>AdamW learning rate. Paper (Adam): 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Warm-up and decay of <see cref="LearningRate"/> (planned over <see cref="MaxEpochs"/>), the schedule every
    /// trainer of the project shares. Default: 5 % warm-up, cosine to 0.1 × (the paper: constant).</summary>
    public LearningRateSchedule LearningRateSchedule { get; init; } = new();
    /// <summary>AdamW weight decay. Paper: none (Adam, L2 on embeddings only); ours 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Sequences per step. Paper: 128.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Upper bound on epochs. Paper: 200; ours 40 (early stopping ends sooner).</summary>
    public int MaxEpochs { get; init; } = 40;
    /// <summary>Stop after this many validations without a better Recall@10.</summary>
    public int Patience { get; init; } = 4;
    /// <summary>The fraction of <see cref="MaxEpochs"/> during which training never stops early (the project's one
    /// <see cref="Training.StoppingRule"/>). Default 0, as GenCDR's stages (<see cref="Training.TrainingSchedule.EarlyStoppingAfter"/>):
    /// patience alone decides.</summary>
    public double EarlyStoppingAfter { get; init; }
    /// <summary>Validation users per domain used for early stopping (a fixed sample; null: all). Default 2,000, the
    /// same as GenCDR's <see cref="Training.TrainingSchedule.ValidationQueries"/>: every model is selected on the same
    /// users (issue #11).</summary>
    public int? ValidationMaxQueries { get; init; } = Training.TrainingSchedule.DefaultValidationQueries;
    /// <summary>Seed of initialisation, dropout and batch order.</summary>
    public int Seed { get; init; } = 42;
    /// <summary>
    /// False (the paper's single-domain SASRec): the input is the history of the target domain only.
    /// True: the merged cross-domain history, each domain's item ids shifted into one shared id space, and
    /// every next-item position of every domain is a training target (softmax over that item's domain).
    /// </summary>
    public bool CrossDomainHistory { get; init; }

    /// <summary>The sequence encoder: SASRec's blocks (default), HSTU's or STOSA's (<see cref="SequenceEncoder"/>; the bench's
    /// "HSTU" and "STOSA" rows are this config with that encoder, every other setting as SASRec's).</summary>
    public SequenceEncoder Encoder { get; init; } = SequenceEncoder.SelfAttention;
    /// <summary>Where every item's vector (input and output) comes from: a free ID embedding (default), an adapter of its
    /// frozen text embedding (LLM4CDSR's representation) or embeddings of its text's product-quantisation codes (VQ-Rec's);
    /// see <see cref="ItemVectorSource"/>. The text modes read the suite's item embeddings (MiniLM by default).</summary>
    public ItemVectorSource ItemVectors { get; init; } = ItemVectorSource.Id;
    /// <summary><see cref="ItemVectorSource.TextCodes"/>: sub-vectors D per item code. VQ-Rec: 32.</summary>
    public int CodeSubvectors { get; init; } = 32;
    /// <summary><see cref="ItemVectorSource.TextCodes"/>: codes M per sub-vector. VQ-Rec: 256.</summary>
    public int CodeCentroids { get; init; } = 256;

    /// <summary>HSTU only: scores are cos(state, item) / Temperature (the official code L2-normalises both embeddings and
    /// divides by 0.05).</summary>
    public double Temperature { get; init; } = 0.05;

    /// <summary><see cref="SasRecLoss.StosaBpr"/>: λ of the positive-vs-negative term. STOSA tunes it per data set on a
    /// grid; 0.005 is our default from that grid (not tuned here).</summary>
    public double PvnWeight { get; init; } = 0.005;

    /// <summary><see cref="SequenceEncoder.C2dsr"/>: weight λ of the contrastive infomax loss beside the next-item loss.
    /// C2DSR tunes it per data set; 0.2 is our default (not tuned here).</summary>
    public double InfoMaxWeight { get; init; } = 0.2;

    /// <summary><see cref="SequenceEncoder.TriCdr"/>: weight of the triple contrastive loss. TriCDR tunes it; 0.1 is our
    /// default (not tuned here).</summary>
    public double TripleContrastWeight { get; init; } = 0.1;
    /// <summary><see cref="SequenceEncoder.TriCdr"/>: the InfoNCE temperature τ (ours: 0.2, not tuned).</summary>
    public double ContrastTemperature { get; init; } = 0.2;

    /// <summary>Training objective. Default <see cref="SasRecLoss.FullSoftmax"/>; the paper's is <see cref="SasRecLoss.SampledBce"/>.</summary>
    public SasRecLoss Loss { get; init; } = SasRecLoss.FullSoftmax;

    /// <summary>SASRec as published for sparse Amazon data: one sampled negative with binary cross-entropy, dropout
    /// 0.5 and no weight decay (the paper's Amazon settings; with our default 0.2 and 0.01 the BCE model overfits
    /// Amazon Sports: training loss 1.40 → 0.32 in 31 epochs while validation Recall@10 stalls at 0.02). The paper
    /// trains a fixed 200 epochs without early stopping. BCE learns slowly and its validation Recall@10 is flat for
    /// the first ten or so epochs, where 1,000 validation users per domain cannot tell epochs apart (at Recall@10
    /// ≈ 0.012 that is 12 ± 3.5 hits), so patience 10 stopped it at epoch 13 with the epoch-3 model: hence 5,000
    /// validation users per domain, patience 20 and at most 60 epochs (a 2-core budget).</summary>
    public static SasRecConfig Original { get; } = new()
    {
        Loss = SasRecLoss.SampledBce, Dropout = 0.5, WeightDecay = 0, MaxEpochs = 60, Patience = 20, ValidationMaxQueries = 5000,
    };

    /// <summary>Throws a <see cref="GenCdrException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        void Require(bool ok, string problem) { if (!ok) throw new GenCdrException($"SASRec: {problem}"); }
        Require(HiddenSize >= 1 && Heads >= 1 && HiddenSize % Heads == 0, $"HiddenSize ({HiddenSize}) must be a positive multiple of Heads ({Heads})");
        Require(Blocks >= 1, $"Blocks must be ≥ 1 (got {Blocks})");
        Require(MaxLength >= 1, $"MaxLength must be ≥ 1 (got {MaxLength})");
        Require(Dropout is >= 0 and < 1, $"Dropout must be in [0, 1) (got {Dropout})");
        Require(LearningRate > 0, $"LearningRate must be > 0 (got {LearningRate})");
        LearningRateSchedule.Validate("SasRec");
        Require(BatchSize >= 1, $"BatchSize must be ≥ 1 (got {BatchSize})");
        Require(MaxEpochs >= 1, $"MaxEpochs must be ≥ 1 (got {MaxEpochs})");
        Require(Patience >= 1, $"Patience must be ≥ 1 (got {Patience})");
        Require(EarlyStoppingAfter is >= 0 and <= 1, $"EarlyStoppingAfter must be in [0, 1] (got {EarlyStoppingAfter})");
        Require(ValidationMaxQueries is null or >= 1, "ValidationMaxQueries must be ≥ 1 when set");
        Require(Temperature > 0, $"Temperature must be > 0 (got {Temperature})");
        Require(CodeSubvectors >= 1 && CodeCentroids >= 2, $"CodeSubvectors must be ≥ 1 and CodeCentroids ≥ 2 (got {CodeSubvectors}, {CodeCentroids})");
        Require(Encoder == SequenceEncoder.SelfAttention || Loss == SasRecLoss.FullSoftmax || (Encoder == SequenceEncoder.Stosa && Loss == SasRecLoss.StosaBpr),
            $"the {Encoder} encoder is trained with the full-softmax loss{(Encoder == SequenceEncoder.Stosa ? " or StosaBpr" : "")} only (got {Loss})");
        Require(Loss != SasRecLoss.StosaBpr || Encoder == SequenceEncoder.Stosa, "the StosaBpr loss needs the Stosa encoder (its Wasserstein distances)");
        Require(PvnWeight >= 0, $"PvnWeight must be ≥ 0 (got {PvnWeight})");
        Require(InfoMaxWeight >= 0, $"InfoMaxWeight must be ≥ 0 (got {InfoMaxWeight})");
        Require(TripleContrastWeight >= 0 && ContrastTemperature > 0, $"TripleContrastWeight must be ≥ 0 and ContrastTemperature > 0 (got {TripleContrastWeight}, {ContrastTemperature})");
        Require(Encoder is not (SequenceEncoder.C2dsr or SequenceEncoder.TriCdr) || (CrossDomainHistory && ItemVectors == ItemVectorSource.Id),
            $"the {Encoder} encoder reads the merged history (CrossDomainHistory true) with ID item vectors (ItemVectors Id)");
        Require(Encoder != SequenceEncoder.Stosa || ItemVectors == ItemVectorSource.Id, "the Stosa encoder needs ID item vectors (ItemVectors Id): its items are Gaussians of two ID embeddings");
    }
}
