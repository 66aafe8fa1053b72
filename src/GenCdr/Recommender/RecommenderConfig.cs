using System.Text.Json.Serialization;
using GenCdr.Training;
namespace GenCdr.Recommender;

/// <summary>How the K universal LoRA experts are combined (paper §2a; the ablation "w/o MoE gate").</summary>
public enum ExpertGate
{
    /// <summary>A trainable per-layer router Linear(d, K) + softmax over experts, per token.</summary>
    MoE,
    /// <summary>The plain average 1/K of the experts (paper Table 3, "w/o MoE gate").</summary>
    Average,
}

/// <summary>How a user's history is laid out for the transformer (issue #11; docs/recipe.md compares them).</summary>
public enum SequenceLayout
{
    /// <summary>One input position per item: the sum of its code-token embeddings and its domain's embedding, plus
    /// the embedding of the domain of the item to predict. The hidden state there scores every item of that domain
    /// exactly: log P(i | history, d) = log softmax over V_d of h · Σ_k e(c_k(i)) — the distribution the prefix tree's
    /// beam search approximates, computed over all of the domain's valid items at once. 5× fewer positions than
    /// <see cref="Token"/>. CPU default.</summary>
    Item,
    /// <summary>The paper's layout (§2a): BOS, then [domain token, c_1 … c_L] per item; codes generated one by one
    /// by a beam search over the target domain's prefix tree (§3). The layout of TIGER and of a pretrained LLM.</summary>
    Token,
}

/// <summary>Which of a user's history a pass reads (item layout): the domain pass's (<see cref="RecommenderConfig.DomainPassHistory"/>)
/// and the backbone's (<see cref="RecommenderConfig.BackboneHistory"/>). The universal pass always reads the mixed history.</summary>
public enum HistoryView
{
    /// <summary>The user's whole cross-domain history, time-ordered.</summary>
    Mixed,
    /// <summary>Only the user's items of the target domain (<see cref="ItemSequence.InDomain"/>).</summary>
    InDomain,
}

/// <summary>
/// Hyper-parameters of the generative recommender (paper §2–§3). Paper values are for Qwen2.5-7B on GPUs;
/// the defaults here are for a small Qwen2-family decoder trained from scratch on a 2-core CPU (spec §5).
/// </summary>
public sealed record RecommenderConfig
{
    /// <summary>History layout: <see cref="SequenceLayout.Item"/> (CPU default) or the paper's token layout.</summary>
    public SequenceLayout Layout { get; init; } = SequenceLayout.Item;
    /// <summary>The history of the domain pass (stage 4a's training sequences, the domain half of the stage-4b mixture and
    /// of decoding). <see cref="HistoryView.Mixed"/>: the two passes differ only by the domain adapter's weights.
    /// Default <see cref="HistoryView.InDomain"/> (paper §2b: the domain adapter is trained "on sequences of that domain"),
    /// so P_dom models in-domain habits and P_univ the cross-domain history, and the user router's w chooses between two
    /// views of the user, not two copies of one (item layout only: the token layout's domain pass reads the mixed history,
    /// so a token-layout model with domain experts must set <see cref="HistoryView.Mixed"/>).
    /// InDomain became the default after it was better than Mixed or level in every measured run (designed built-in set,
    /// built-in bench, Amazon Clothing + Beauty) while its domain pass moved 30–80× further from the universal one and
    /// the user router's w spread 2–3× wider (docs/routers.md).</summary>
    public HistoryView DomainPassHistory { get; init; } = HistoryView.InDomain;
    /// <summary>The history stage 0 trains the backbone on, and that the backbone pass reads (item layout). Not in the
    /// paper, whose backbone is an LLM pre-trained on other data. <see cref="HistoryView.Mixed"/> (default): the backbone
    /// learns the cross-domain sequences itself, so the universal experts start from a model already fitted to the data they
    /// train on. <see cref="HistoryView.InDomain"/>: the backbone learns each domain's own sequences only, as a model that
    /// knows how item sequences go but has never seen one domain's items beside another's; the cross-domain transitions
    /// are then the universal experts' to learn (stage 3, mixed histories), and the ablation w/o universal experts removes
    /// them. Measured in docs/recipe.md ("A backbone that has not seen the domains together"): the universal stage then
    /// learns, but on Amazon Clothing the model loses what the mixed backbone gave it.</summary>
    public HistoryView BackboneHistory { get; init; } = HistoryView.Mixed;
    /// <summary>Warm-up and decay of the learning rate of every stage, planned over the stage's epoch bound
    /// (Training/LearningRateSchedule.cs). Paper: not stated (LoRA fine-tuning); default 5 % of the steps warm-up, cosine to 0.1×.</summary>
    public LearningRateSchedule LearningRateSchedule { get; init; } = new();
    /// <summary>Item layout: items drawn uniformly per batch and domain as the negatives of a sampled softmax (the batch's
    /// targets are always in it); 0 = a full softmax over the domain's items. Not in the paper (its LLM generates
    /// tokens). Default 2,048: on an Amazon domain of 23 k items the full softmax is ≈ 10× the transformer's cost
    /// per position, and decoding always scores every item exactly.</summary>
    public int SampledNegatives { get; init; } = 2048;
    /// <summary>Item layout: rows per domain of the item-ID table added to every item's vector beside its SID codes
    /// (input and output; <see cref="ItemIdTable"/>); 0 = SIDs only, the paper's form. Domain d's item i uses row
    /// 1 + d·S + (i mod S) for S = this value, so a domain with more than S items shares rows (its items stay apart
    /// by their SIDs). Not in the paper. The SID codes alone make an item's score additive over its levels,
    /// Σ_k h·e(c_k), so the model cannot prefer one item over another with the same codes' marginals; the ID row
    /// adds what is the item's own. Measured on Amazon Sports + Clothing (docs/recipe.md): validation Recall@10 after
    /// two backbone epochs 0.036 with the rows against 0.010 without. Default 32,768 (≥ the items of a typical Amazon
    /// 5-core domain; 2 × 32,768 × d=128 floats = 34 MB); trained with a lazy update, so its cost per step follows
    /// the rows a batch uses, not S.</summary>
    public int ItemIdRows { get; init; } = 32_768;
    /// <summary>Hidden size. Paper: 3584 (Qwen2.5-7B). CPU default 128 (≈1 M parameters, ≈12 k tokens/s).</summary>
    public int DModel { get; init; } = 128;
    /// <summary>Decoder blocks. Paper: 28. CPU default 4.</summary>
    public int Layers { get; init; } = 4;
    /// <summary>Query heads. Paper: 28. CPU default 4.</summary>
    public int Heads { get; init; } = 4;
    /// <summary>Key/value heads of grouped-query attention. Paper: 4. CPU default 2.</summary>
    public int KvHeads { get; init; } = 2;
    /// <summary>SwiGLU inner size. Paper: 18944. CPU default 512.</summary>
    public int FfnDim { get; init; } = 512;
    /// <summary>Items of history kept (the last N). Paper: not stated; CPU default 20.</summary>
    public int MaxItems { get; init; } = 20;
    /// <summary>Rotary base θ. Qwen2: 1e6 (long contexts); our sequences are ≤ ~110 tokens, so 10 000.</summary>
    public double RopeTheta { get; init; } = 10_000;
    /// <summary>Share the token embedding with the LM head. Qwen2.5-0.5B ties, 7B does not. CPU default true.</summary>
    public bool TieEmbeddings { get; init; } = true;
    /// <summary>Bias on the q/k/v projections, as in Qwen2. Default true.</summary>
    public bool AttentionBias { get; init; } = true;
    /// <summary>A Hugging Face Qwen2-family checkpoint folder (config.json + safetensors) as the frozen backbone, the
    /// paper's setting (§2: Qwen2.5-7B; <see cref="Qwen2CheckpointLoader"/>); null (default) = the backbone is trained
    /// from scratch in our stage 0 (spec §5). With a checkpoint, stage 0 is skipped, the transformer's shape comes from
    /// its config.json (`--backbone` sets both), its weights stay frozen, and the new SID token rows train with the first
    /// LoRA stage. Weight files then hold only what training changed; the checkpoint is read from here at every load.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PretrainedBackbone { get; init; }
    /// <summary>SHA-256 of <see cref="PretrainedBackbone"/>'s files (<see cref="Qwen2CheckpointLoader.Checksum"/>), recorded
    /// when the backbone is chosen: a model refuses to load on a checkpoint that has changed since.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PretrainedBackboneSha256 { get; init; }
    /// <summary>Write each history item's text into the prompt after its SID: [domain, c_1 … c_L, text tokens], the
    /// paper's prompt over a pretrained LLM (§2a: the LLM reads the items it already knows the words of). The text is the
    /// one the item is embedded from (<see cref="Text.ItemTextBuilder"/>), tokenized with the checkpoint's own
    /// tokenizer.json and embedded with its own (frozen) embedding rows, so it needs <see cref="PretrainedBackbone"/> and
    /// the token layout; only code tokens carry a loss and only code tokens are generated, so the target item's text,
    /// unknown at inference, is never read. Default false (SID tokens only).</summary>
    public bool PromptItemText { get; init; }
    /// <summary>Text tokens kept per item in the prompt (the first N). Paper: not stated. Default 32 (an Amazon title is
    /// about 15–25 Qwen2 tokens; 20 items × (5 + 32) tokens keep the prompt under 800 tokens).</summary>
    public int PromptTextTokens { get; init; } = 32;
    /// <summary>Rows of the checkpoint's own token embedding, read from its config.json ("vocab_size") when
    /// <see cref="PromptItemText"/> is on (`--backbone` sets it); 0 otherwise. Text token t is model token
    /// (SID vocabulary size + t).</summary>
    public int TextVocabularySize { get; init; }
    /// <summary>RMSNorm ε. Qwen2: 1e-6.</summary>
    public double NormEps { get; init; } = 1e-6;
    /// <summary>Dropout on the item layout's input vectors, residual branches and LoRA inputs. Paper LoRA dropout 0.05;
    /// CPU default 0.2, as SASRec's and the cornac TIGER recipe's (with 0.1 the item layout memorised the built-in
    /// histories: validation R@10 peaked at epoch 5 of 20 while the loss kept falling).</summary>
    public double Dropout { get; init; } = 0.2;
    /// <summary>Learning rate of the backbone stage 0 (not in the paper, whose LLM is pre-trained). Default 1e-3.</summary>
    public double BackboneLearningRate { get; init; } = 1e-3;
    /// <summary>Learning rate of the LoRA / router stages. Paper: 1e-4. CPU default 1e-3 (a small model
    /// with far fewer steps; 1e-4 barely moves rank-8 adapters in a few CPU epochs).</summary>
    public double AdapterLearningRate { get; init; } = 1e-3;
    /// <summary>AdamW decoupled weight decay. Paper: not stated. Default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Sequences per step. Paper: 8 (7B model). CPU default 64.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>Epochs of stage 0 (backbone from scratch). Not in the paper. Default 20.</summary>
    public int BackboneEpochs { get; init; } = 20;
    /// <summary>Epochs of stage 3 (universal experts). Paper: 10. CPU default 6 (early stopping usually ends
    /// it sooner; the main job must fit in minutes on 2 cores).</summary>
    public int UniversalEpochs { get; init; } = 6;
    /// <summary>Epochs of stage 4a per domain (domain adapter). Paper: 10–20. CPU default 6.</summary>
    public int DomainEpochs { get; init; } = 6;
    /// <summary>Epochs of stage 4b per domain (user router). Paper: trained with 4a (10–20 epochs). CPU default 6: a
    /// router epoch costs a forward of both passes and a tiny backward; on the designed data set of issue #12 (2,000
    /// validation users per domain) the router's validation Recall@10 peaked after 4–8 epochs and its loss was still falling
    /// after 2 (docs/routers.md). Selected on the held-out likelihood (<see cref="RouterSelection"/>) the kept epoch has been
    /// 0–5 (built-in: 1–5 outdoor, mostly the start for apparel; designed data: the start); patience ends it early.</summary>
    public int RouterEpochs { get; init; } = 6;
    /// <summary>What picks the user-router stage's kept epoch (stage 4b). Paper: validation Recall@10 for every checkpoint.
    /// Default <see cref="SelectionMetric.LogLikelihood"/> in the item layout: the likelihood the router trains on, which
    /// sees what it changes (measured on the designed data set: docs/routers.md). The token layout needs
    /// <see cref="SelectionMetric.Recall10"/> (no exact item likelihood there; <see cref="WithPaperLoraSettings"/> sets it).</summary>
    public SelectionMetric RouterSelection { get; init; } = SelectionMetric.LogLikelihood;
    /// <summary>What the user router is fitted on. Paper: the training data (<see cref="Recommender.RouterTargets.TrainingEvents"/>,
    /// the default). <see cref="Recommender.RouterTargets.HeldOutEvents"/> fits it on half of the validation users' held-out
    /// events and selects it on the other half (item layout; docs/routers.md).</summary>
    public RouterTargets RouterTargets { get; init; } = RouterTargets.TrainingEvents;
    /// <summary>Universal LoRA experts K. Paper: 4.</summary>
    public int NumUniversalExperts { get; init; } = 4;
    /// <summary>Rank of each universal expert. Paper: 64 on d=3584 (r/d ≈ 1.8%). CPU default 8 (r/d = 6% of
    /// d=128; rank 64 would be half the hidden size, i.e. no longer a low-rank adapter).</summary>
    public int ExpertRank { get; init; } = 8;
    /// <summary>LoRA α of the universal experts. Paper: 128 (α/r = 2). CPU default 16 (same α/r = 2).</summary>
    public double ExpertAlpha { get; init; } = 16;
    /// <summary>Rank of each domain adapter. Paper: as the experts (64). CPU default 8.</summary>
    public int DomainAdapterRank { get; init; } = 8;
    /// <summary>LoRA α of the domain adapters. Paper: 128. CPU default 16 (α/r = 2).</summary>
    public double DomainAdapterAlpha { get; init; } = 16;
    /// <summary>Hidden size of the user router G (paper §2c, like the item router's 128). CPU default 64.</summary>
    public int UserRouterHidden { get; init; } = 64;
    /// <summary>Weight of the VIB KL term. Paper: not stated. Default 1e-3.</summary>
    public double BetaVib { get; init; } = 1e-3;
    /// <summary>MoE gate or plain average of the universal experts.</summary>
    public ExpertGate ExpertGate { get; init; } = ExpertGate.MoE;
    /// <summary>Use the universal experts (ablation "w/o universal experts" sets false).</summary>
    public bool UseUniversalExperts { get; init; } = true;
    /// <summary>Use the domain adapters and user router (ablation "w/o specific expert" sets false).</summary>
    public bool UseDomainExperts { get; init; } = true;
    /// <summary>Constrain decoding to the domain's prefix tree (paper §3; ablation "w/o prefix tree").</summary>
    public bool UsePrefixTree { get; init; } = true;
    /// <summary>Beams per user. Paper: not stated. Default 20 (≥ 2 × the largest cut-off, 10).</summary>
    public int BeamWidth { get; init; } = 20;
    /// <summary>Users decoded together. Bounds the KV-cache memory (users × beams × 2 passes rows, copied at every
    /// beam reorder). Measured: 16 decodes as many users per CPU-second as 64 (38.9 vs 38.4 with the full
    /// mixture) with less memory, so the default is 16.</summary>
    public int DecodeBatchUsers { get; init; } = 16;
    /// <summary>Seed of initialisation, shuffling, dropout and VIB sampling.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The paper's LoRA stages on a pretrained LLM (§2, §4; the `--backbone` defaults): the token layout with the
    /// mixed-history domain pass, K = 4 universal experts of rank 64 and α 128, domain adapters of the same size, 10 epochs
    /// of the universal stage and 10 per domain adapter (paper: 10–20), learning rate 1e-4, batch 8, LoRA dropout 0.05.</summary>
    public RecommenderConfig WithPaperLoraSettings() => this with
    {
        Layout = SequenceLayout.Token, DomainPassHistory = HistoryView.Mixed, RouterSelection = SelectionMetric.Recall10,
        NumUniversalExperts = 4, ExpertRank = 64, ExpertAlpha = 128, DomainAdapterRank = 64, DomainAdapterAlpha = 128,
        UniversalEpochs = 10, DomainEpochs = 10, AdapterLearningRate = 1e-4, BatchSize = 8, Dropout = 0.05,
    };

    /// <summary>Checks the values that would otherwise fail deep inside a tensor operation.</summary>
    public void Validate()
    {
        if (DModel % Heads != 0) throw new GenCdrException($"recommender: DModel {DModel} is not a multiple of Heads {Heads}");
        if (Heads % KvHeads != 0) throw new GenCdrException($"recommender: Heads {Heads} is not a multiple of KvHeads {KvHeads}");
        if ((DModel / Heads) % 2 != 0) throw new GenCdrException("recommender: the head size must be even (rotary embedding)");
        if (NumUniversalExperts < 1 || ExpertRank < 1 || DomainAdapterRank < 1)
            throw new GenCdrException("recommender: experts and ranks must be at least 1");
        if (MaxItems < 1 || BatchSize < 1 || BeamWidth < 1 || DecodeBatchUsers < 1)
            throw new GenCdrException("recommender: MaxItems, BatchSize, BeamWidth and DecodeBatchUsers must be at least 1");
        LearningRateSchedule.Validate("Recommender");
        void Require(bool ok, string problem) { if (!ok) throw new GenCdrException($"recommender: {problem}"); }
        Require(ItemIdRows >= 0, $"ItemIdRows must be ≥ 0 (got {ItemIdRows})");
        Require(SampledNegatives >= 0, $"SampledNegatives must be ≥ 0 (got {SampledNegatives})");
        Require(DModel >= 1 && Layers >= 1 && Heads >= 1 && KvHeads >= 1 && FfnDim >= 1 && UserRouterHidden >= 1,
            "DModel, Layers, Heads, KvHeads, FfnDim and UserRouterHidden must be at least 1");
        // 0 epochs skips the stage (its weights stay as they start: a zero LoRA B, the router's initial w)
        foreach (var (name, epochs) in new[] { ("BackboneEpochs", BackboneEpochs), ("UniversalEpochs", UniversalEpochs), ("DomainEpochs", DomainEpochs), ("RouterEpochs", RouterEpochs) })
            Require(epochs >= 0, $"{name} must be ≥ 0, 0 skipping the stage (got {epochs})");
        Require(BackboneLearningRate > 0 && AdapterLearningRate > 0, $"BackboneLearningRate and AdapterLearningRate must be > 0 (got {BackboneLearningRate}, {AdapterLearningRate})");
        Require(WeightDecay >= 0, $"WeightDecay must be ≥ 0 (got {WeightDecay})");
        Require(Dropout is >= 0 and < 1, $"Dropout must be in [0, 1) (got {Dropout})");
        Require(BackboneHistory == HistoryView.Mixed || Layout == SequenceLayout.Item,
            "BackboneHistory InDomain needs the item layout (a token-layout sequence is one mixed history)");
        Require(DomainPassHistory == HistoryView.Mixed || Layout == SequenceLayout.Item || !UseDomainExperts,
            "DomainPassHistory InDomain (the default) needs the item layout: the token layout's domain pass reads the mixed history, so set \"DomainPassHistory\": \"Mixed\" with \"Layout\": \"Token\"");
        bool trainsRouter = StagePlan.For(this, domainCount: 1).Any(s => s.Stage == Stage.UserRouter);
        Require(RouterSelection == SelectionMetric.Recall10 || Layout == SequenceLayout.Item || !trainsRouter,
            "RouterSelection LogLikelihood (the default) needs the item layout, whose item probabilities are exact, so set \"RouterSelection\": \"Recall10\" with \"Layout\": \"Token\"");
        Require(RouterTargets == RouterTargets.TrainingEvents || Layout == SequenceLayout.Item || !trainsRouter,
            "RouterTargets HeldOutEvents needs the item layout (its held-out sequences are item sequences)");
        Require(BetaVib >= 0, $"BetaVib must be ≥ 0 (got {BetaVib})");
        Require(ExpertAlpha > 0 && DomainAdapterAlpha > 0, "ExpertAlpha and DomainAdapterAlpha must be > 0");
        Require(RopeTheta > 0 && NormEps > 0, "RopeTheta and NormEps must be > 0");
        Require(PretrainedBackbone is null || UseUniversalExperts || UseDomainExperts,
            "a PretrainedBackbone stays frozen, so it needs universal or domain experts to train (both are off)");
        Require(PretrainedBackbone is not null || PretrainedBackboneSha256 is null, "PretrainedBackboneSha256 is set without a PretrainedBackbone");
        Require(!PromptItemText || PretrainedBackbone is not null,
            "PromptItemText needs a PretrainedBackbone: the text tokens are the checkpoint's own (its tokenizer.json and embedding rows)");
        Require(!PromptItemText || Layout == SequenceLayout.Token, "PromptItemText needs \"Layout\": \"Token\" (an item-layout position is one item's vector, not its words)");
        Require(PromptTextTokens is >= 1 and <= 512, $"PromptTextTokens must be in [1, 512] (got {PromptTextTokens})");
        Require(TextVocabularySize >= 0, $"TextVocabularySize must be ≥ 0 (got {TextVocabularySize})");
        Require(TextVocabularySize == 0 || PromptItemText, "TextVocabularySize is set without PromptItemText");
        Require(!PromptItemText || TextVocabularySize > 0,
            "PromptItemText needs TextVocabularySize, the checkpoint's vocab_size (`--backbone` reads it from config.json)");
    }
}
