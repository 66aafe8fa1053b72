namespace GenCdr.Tokenization;

/// <summary>Every hyper-parameter of the domain-adaptive tokenizer (paper §3.1 / spec §1). Each comment gives
/// the paper's value and this project's CPU default. JSON-serialisable: it is saved next to the weights.</summary>
public sealed record TokenizerConfig
{
    // ---- RQ-VAE architecture (spec §1a) ----

    /// <summary>Dimension of the item text embedding x. Paper: that of its text encoder; ours: 384
    /// (all-MiniLM-L6-v2). The trainer overwrites it with the dimension of the embeddings it is given.</summary>
    public int InputDim { get; init; } = 384;

    /// <summary>Hidden widths of the encoder MLP (the decoder mirrors them). Paper: not stated; ours [512, 256],
    /// the usual RQ-VAE shape for 384–768-d inputs (TIGER uses 512-256-128).</summary>
    public int[] HiddenDims { get; init; } = [512, 256];

    /// <summary>Dimension of the latent z that is quantised. Paper: not stated; ours 64. TIGER uses 32; 64 keeps
    /// more of a 384-d sentence embedding for reconstruction while staying small enough that three levels of
    /// 256 codes cover the latent well (the residual after three levels is what the codes miss), and that
    /// LoRA rank 16 on the last encoder layer is still genuinely low-rank.</summary>
    public int LatentDim { get; init; } = 64;

    /// <summary>Number of codebooks M (the length of a semantic ID before disambiguation). Paper 3; ours 3.</summary>
    public int Levels { get; init; } = 3;

    /// <summary>Codes per codebook K. Paper 256; ours 256.</summary>
    public int CodebookSize { get; init; } = 256;

    // ---- Stage 1 objective (spec §1a) ----

    /// <summary>Commitment weight β in L_quant = Σ ||sg[r_m] − e_m||² + β ||r_m − sg[e_m]||². Paper 0.25; ours 0.25.</summary>
    public float Beta { get; init; } = 0.25f;

    /// <summary>λ1, weight of L_quant in L_pretrain. Paper: not stated; ours 1.0 (the VQ-VAE convention).</summary>
    public float Lambda1 { get; init; } = 1.0f;

    /// <summary>λ2, weight of L_MTM in L_pretrain. Paper: not stated; ours 0.1, so that the code "grammar" shapes
    /// the codebooks without dominating reconstruction (cross-entropy is ≈ ln K ≈ 5.5 at the start).</summary>
    public float Lambda2 { get; init; } = 0.1f;

    /// <summary>Probability that a code position is masked for L_MTM; at least one position is always masked
    /// and at least one left visible. Paper: not stated; ours 0.34 (≈ one of three positions, as BERT-style
    /// masking of a 3-token sequence).</summary>
    public float MaskRate { get; init; } = 0.34f;

    /// <summary>Width of the masked-code context model f_φ (code embedding size). Paper: not stated; ours 64.</summary>
    public int MtmEmbeddingDim { get; init; } = 64;

    /// <summary>Hidden width of the context model's MLP over the M positions. Paper: not stated; ours 256.</summary>
    public int MtmHidden { get; init; } = 256;

    /// <summary>Stage 1 learning rate (AdamW). Paper 1e-3; ours 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>AdamW weight decay for both stages. Paper: not stated; ours 1e-4 (mild; codebooks are included).</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Mini-batch size of both stages. Paper 512; ours 512.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Stage 1 epochs over all items of all domains. Paper 100; ours 40. Measured on 41k clustered
    /// 384-d items (Sports + Clothing sized) with one torch thread on the shared 2-core machine: 6–9 s per epoch
    /// (81 steps of 512), so 40 epochs ≈ 4–6 min, leaving room for stage 2 in a ~10 min tokenization budget.</summary>
    public int Epochs { get; init; } = 40;

    /// <summary>Lloyd iterations of the k-means that initialises each codebook from latent residuals.
    /// Paper: not stated (k-means init is standard for RQ-VAE); ours 20.</summary>
    public int KMeansIterations { get; init; } = 20;

    /// <summary>Number of items whose latents feed the k-means initialisation (the first shuffled batches).
    /// Paper: not stated; ours 8192 (32 points per code for K = 256).</summary>
    public int KMeansSampleSize { get; init; } = 8192;

    /// <summary>Every this many training steps, codes not chosen in the last <see cref="DeadCodeUnusedSteps"/>
    /// steps are re-seeded from random current residuals. Paper: not stated; ours 20. 0 disables re-seeding.</summary>
    public int DeadCodeCheckInterval { get; init; } = 20;

    /// <summary>A code unused for this many consecutive steps is dead. Paper: not stated; ours 50 (≈ 25k item
    /// assignments at batch 512, ≈ 100 expected hits per code for K = 256).</summary>
    public int DeadCodeUnusedSteps { get; init; } = 50;

    // ---- Stage 2: domain adapters + item router (spec §1b, §1c) ----

    /// <summary>LoRA rank r of the per-domain encoder adapters. Paper 64; ours 16: our latent is 64-d, so rank
    /// 64 would make the last layer's update full rank, and stage 2 gets only a few CPU epochs.</summary>
    public int LoraRank { get; init; } = 16;

    /// <summary>LoRA scaling α (update scaled by α/r). Paper 32 (with r = 64, α/r = 0.5); ours 8 (r = 16, so the
    /// same α/r = 0.5 as the paper).</summary>
    public float LoraAlpha { get; init; } = 8f;

    /// <summary>Dropout on the LoRA input. Paper 0.05; ours 0.05.</summary>
    public float LoraDropout { get; init; } = 0.05f;

    /// <summary>Stage 2 epochs per domain. Paper 50; ours 20 (CPU budget: measured 2–3.5 s per epoch for 18k–23k
    /// items with one torch thread, so 20 epochs for both domains ≈ 1.5–2 min).</summary>
    public int AdapterEpochs { get; init; } = 20;

    /// <summary>Stage 2 learning rate (AdamW). Paper 1e-4; ours 1e-4 (measured: over 2 epochs 1e-3 improved the
    /// adapted reconstruction no more than 1e-4, and without <see cref="AdapterCommitment"/> 1e-3 collapsed the codes).</summary>
    public double AdapterLearningRate { get; init; } = 1e-4;

    /// <summary>Add λ1·L_quant of the fused latent to the stage-2 loss. With the codebooks frozen only its
    /// commitment part β||z_fused − sg[e]||² acts: it keeps the adapted latent near the codebook. Paper: stage 2
    /// minimises the reconstruction alone (false); ours true: with a straight-through quantiser the reconstruction
    /// gradient alone pushed the adapted latents away from the frozen codes until many items shared one tuple
    /// (measured on 41k clustered 384-d items: &gt; 256 items on one tuple after 2 adapter epochs at lr 1e-3).</summary>
    public bool AdapterCommitment { get; init; } = true;

    /// <summary>Hidden width of the item router R_θ (2-layer MLP). Paper 128; ours 128.</summary>
    public int RouterHidden { get; init; } = 128;

    /// <summary>β_VIB, weight of KL(q(h|x) || N(0, I)) of the router's stochastic hidden layer. Paper: a tuned
    /// value not given in the notes; ours 1e-3 (the KL is summed over 128 hidden units).</summary>
    public float BetaVib { get; init; } = 1e-3f;

    /// <summary>λ_CF, weight of our optional collaborative term in stage 2 (<see cref="CollaborativeAlignment"/>): an
    /// InfoNCE loss that pulls the fused latents of consecutive in-domain training items together, so that domain d's
    /// adapter (and the router weighing it) sees how the domain's users move between items, which reconstructing the text
    /// embedding cannot show. Paper: no such term (0); ours 0 by default (docs/routers.md measures it).</summary>
    public float AdapterCollaborativeWeight { get; init; } = 0f;

    /// <summary>Temperature τ of the collaborative term's cosine logits. Not in the paper; ours 0.1 (the usual
    /// contrastive value, e.g. SimCLR, LETTER).</summary>
    public float AdapterCollaborativeTemperature { get; init; } = 0.1f;

    // ---- Ablation switches ----

    /// <summary>Train with the masked-code objective (false = ablation "w/o MTM", CLI --no-mtm).</summary>
    public bool UseMtm { get; init; } = true;

    /// <summary>Train per-domain adapters and the item router (false = ablation "w/o item adapter",
    /// CLI --no-item-adapter: stage 2 is skipped and every item is quantised from the universal latent).</summary>
    public bool UseItemAdapters { get; init; } = true;

    /// <summary>Seed for every random choice (initialisation, shuffling, masking, k-means, re-seeding).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Checks the values a user can get wrong; throws <see cref="GenCdrException"/> naming the field.</summary>
    public void Validate()
    {
        static void Require(bool ok, string problem)
        {
            if (!ok) throw new GenCdrException($"tokenizer config: {problem}");
        }
        Require(InputDim > 0, $"InputDim must be positive (got {InputDim})");
        Require(HiddenDims.All(h => h > 0), "HiddenDims must all be positive");
        Require(LatentDim > 0, $"LatentDim must be positive (got {LatentDim})");
        Require(Levels >= 1, $"Levels must be at least 1 (got {Levels})");
        Require(Levels + 1 <= SemanticIdTable.MaxCodeLength, $"Levels must be at most {SemanticIdTable.MaxCodeLength - 1} (got {Levels})");
        Require(CodebookSize >= 2 && CodebookSize <= SemanticIdTable.MaxCodeValue + 1,
            $"CodebookSize must be in [2, {SemanticIdTable.MaxCodeValue + 1}] (got {CodebookSize})");
        Require(MaskRate is >= 0f and <= 1f, $"MaskRate must be in [0, 1] (got {MaskRate})");
        Require(BatchSize > 0, $"BatchSize must be positive (got {BatchSize})");
        Require(Epochs >= 0 && AdapterEpochs >= 0, "Epochs and AdapterEpochs must not be negative");
        Require(LoraRank > 0, $"LoraRank must be positive (got {LoraRank})");
        Require(LoraDropout is >= 0f and < 1f, $"LoraDropout must be in [0, 1) (got {LoraDropout})");
        Require(RouterHidden > 0, $"RouterHidden must be positive (got {RouterHidden})");
        Require(AdapterCollaborativeWeight >= 0f && float.IsFinite(AdapterCollaborativeWeight),
            $"AdapterCollaborativeWeight must be a finite number ≥ 0 (got {AdapterCollaborativeWeight})");
        Require(AdapterCollaborativeTemperature > 0f && float.IsFinite(AdapterCollaborativeTemperature),
            $"AdapterCollaborativeTemperature must be positive (got {AdapterCollaborativeTemperature})");
    }
}
