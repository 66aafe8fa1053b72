using GenCdr.Recommender;

namespace GenCdr.Benchmark;

/// <summary>
/// The models of every suite, in report order: the floors (Popularity, RecentSameDomain), SASRec, TIGER, the full
/// GenCDR and the paper's Table-3 ablations. A new baseline is one more line here.
/// </summary>
public static class BenchModels
{
    public const string Full = PaperResults.FullModel;
    /// <summary>SASRec trained with the paper's sampled binary cross-entropy.</summary>
    public const string SasRecOriginal = "SASRec (BCE)";
    /// <summary>HSTU's encoder in SASRec's network and training (<see cref="GenCdr.Baselines.SequenceEncoder.Hstu"/>).</summary>
    public const string Hstu = "HSTU";
    /// <summary>STOSA's encoder and Wasserstein read-out in SASRec's network and training (<see cref="GenCdr.Baselines.SequenceEncoder.Stosa"/>).</summary>
    public const string Stosa = "STOSA";
    /// <summary>STOSA trained with its paper's loss (<see cref="GenCdr.Baselines.SasRecLoss.StosaBpr"/>).</summary>
    public const string StosaBpr = "STOSA (BPR)";
    /// <summary>C2DSR in SASRec's network and training (<see cref="GenCdr.Baselines.SequenceEncoder.C2dsr"/>).</summary>
    public const string C2dsr = "C2DSR";
    /// <summary>TriCDR in SASRec's network and training (<see cref="GenCdr.Baselines.SequenceEncoder.TriCdr"/>).</summary>
    public const string TriCdr = "TriCDR";
    /// <summary>SASRec over the merged history with item vectors adapted from frozen text embeddings (<see cref="GenCdr.Baselines.TextItemAdapter"/>).</summary>
    public const string Llm4CdsrStyle = "LLM4CDSR-style, MiniLM embeddings";
    /// <summary>SASRec whose item vectors are embeddings of product-quantisation codes of the item text (<see cref="GenCdr.Baselines.TextCodeItemVectors"/>).</summary>
    public const string VqRec = "VQ-Rec";
    /// <summary>GenCDR whose domain pass reads the whole cross-domain history, as the universal pass does (the item
    /// layout's default until issue #12's measurements made the in-domain history the default).</summary>
    public const string MixedVariant = "GenCDR (mixed P_dom)";
    /// <summary>GenCDR with the LoRA and router stages run for the paper's length (§4: 10 epochs of the universal experts,
    /// 10–20 per domain adapter) instead of the suite's short CPU schedule; it shares the full model's backbone
    /// (<see cref="BenchBackbone"/>), so the two differ only in how long the later stages may train (issue #12: do the
    /// adapters move the model when given the steps?).</summary>
    public const string LongStagesVariant = "GenCDR (paper-length LoRA stages)";
    /// <summary>GenCDR whose user router is fitted on held-out events (<see cref="RouterTargets.HeldOutEvents"/>: half of the
    /// validation users' events, selected on the other half) instead of the training positions both passes were fitted on;
    /// it shares the full model's backbone, and its earlier stages train exactly as the full model's.</summary>
    public const string HeldOutRouterVariant = "GenCDR (router fit on held-out events)";
    /// <summary>GenCDR whose item adapters and router also learn from the domain's training transitions
    /// (<see cref="GenCdr.Tokenization.CollaborativeAlignment"/>, weight 1): its own tokenizer, hence its own backbone.</summary>
    public const string CollaborativeAdaptersVariant = "GenCDR (collaborative item adapters)";
    /// <summary>GenCDR whose backbone (stage 0) learns each domain's own sequences only
    /// (<see cref="RecommenderConfig.BackboneHistory"/> InDomain), so that the cross-domain transitions are the universal
    /// experts' to learn: its own backbone.</summary>
    public const string InDomainBackboneVariant = "GenCDR (in-domain backbone)";
    /// <summary>GenCDR trained with a full softmax over the target domain's items (<see cref="RecommenderConfig.SampledNegatives"/>
    /// 0) instead of the sampled one: its own backbone.</summary>
    public const string FullSoftmaxVariant = "GenCDR (full softmax)";
    /// <summary>GenCDR with no part that reads another domain's history: the in-domain backbone
    /// (<see cref="InDomainBackboneVariant"/>, whose backbone it shares) without the universal experts, so that only the
    /// domain pass over the target domain's own history is trained and decoded. Paper Table 3's "w/o Universal Experts"
    /// removes the model's only cross-domain stage (the paper's LLM has never seen these domains together); ours keeps
    /// stage 0, which has learnt the merged histories, so this row is the ablation of cross-domain knowledge itself.</summary>
    public const string NoCrossDomainAblation = "GenCDR w/o Cross-Domain History";

    public static IReadOnlyList<IBenchModel> For(BenchSuite suite)
    {
        var full = new GenCdrBenchModel(Full, c => c);
        return
        [
            new PopularityBenchModel(),
            new RecentSameDomainBenchModel(),
            new SasRecBenchModel("SASRec", suite => suite.SasRec),
            new SasRecBenchModel(SasRecOriginal, suite => suite.SasRecOriginal),
            new Bert4RecBenchModel(),
            // HSTU (Zhai et al. 2024) is SASRec's network with HSTU's encoder and read-out, trained with SASRec's settings
            // of the suite (size, epochs, loss, validation sample): the official code shares them between the two too
            new SasRecBenchModel(Hstu, suite => suite.SasRec with { Encoder = GenCdr.Baselines.SequenceEncoder.Hstu }),
            // STOSA (Fan et al. 2022): Gaussian item embeddings and Wasserstein self-attention in SASRec's network,
            // trained with the suite's SASRec settings and loss (full-softmax cross-entropy over −W₂² scores)
            new SasRecBenchModel(Stosa, suite => suite.SasRec with { Encoder = GenCdr.Baselines.SequenceEncoder.Stosa }),
            // and with STOSA's own loss (BPR against one sampled negative + the positive-vs-negative term), under the
            // suite's settings for SASRec's paper loss (one negative learns slowly: more epochs, patience, validation users)
            new SasRecBenchModel(StosaBpr, suite => suite.SasRecOriginal with
            {
                Encoder = GenCdr.Baselines.SequenceEncoder.Stosa, Loss = GenCdr.Baselines.SasRecLoss.StosaBpr,
            }),
            // C2DSR (Cao et al. 2022): graph-propagated item embeddings of the training transitions, single-domain encoders
            // beside the cross-domain one, the contrastive infomax term; SASRec's blocks, settings and loss otherwise
            new SasRecBenchModel(C2dsr, suite => suite.SasRec with { Encoder = GenCdr.Baselines.SequenceEncoder.C2dsr, CrossDomainHistory = true }),
            // TriCDR (Ma et al. 2024): target, source and mixed sequences, triple cross-domain attention and triple
            // contrastive learning; SASRec's blocks, settings and loss otherwise
            new SasRecBenchModel(TriCdr, suite => suite.SasRec with { Encoder = GenCdr.Baselines.SequenceEncoder.TriCdr, CrossDomainHistory = true }),
            // LLM4CDSR-style (Liu et al. 2025): frozen text embeddings of the items (ours: the suite's text encoder, MiniLM)
            // through a trainable adapter as SASRec's item vectors, over the merged cross-domain history
            new SasRecBenchModel(Llm4CdsrStyle, suite => suite.SasRec with { ItemVectors = GenCdr.Baselines.ItemVectorSource.TextAdapter, CrossDomainHistory = true }),
            // VQ-Rec (Hou et al. 2023): OPQ codes of the items' text embeddings, their code embeddings as SASRec's item
            // vectors, fine-tuned on the next-item objective (no contrastive pre-training); single-domain input, as VQ-Rec
            new SasRecBenchModel(VqRec, suite => suite.SasRec with { ItemVectors = GenCdr.Baselines.ItemVectorSource.TextCodes }),
            // TIGER (Rajput et al. 2023) as our stack reduces to it: one universal RQ-VAE (no MTM, no item adapters or
            // router) and the bare backbone, in the token layout with beam search over the prefix tree (TIGER generates
            // codes one by one). The original TIGER is an encoder–decoder T5; ours is decoder-only.
            new GenCdrBenchModel("TIGER", c => c with
            {
                Tokenizer = c.Tokenizer with { UseMtm = false, UseItemAdapters = false },
                Recommender = c.Recommender with { UseUniversalExperts = false, UseDomainExperts = false, Layout = SequenceLayout.Token },
            }),
            full,
            // not a paper row: the domain pass on the whole mixed history instead of the target domain's (issue #12,
            // HistoryView.Mixed), so that the bench measures what the in-domain default buys
            new GenCdrBenchModel(MixedVariant, c => c with { Recommender = c.Recommender with { DomainPassHistory = HistoryView.Mixed } }),
            // not a paper row: the same model with the paper's stage lengths for everything after the backbone
            new GenCdrBenchModel(LongStagesVariant, c => c with
            {
                Recommender = c.Recommender with { UniversalEpochs = 10, DomainEpochs = 10, RouterEpochs = 3 },
            }),
            // not a paper row: the user router fitted as a stacked mixture, on events neither pass was trained on
            new GenCdrBenchModel(HeldOutRouterVariant, c => c with { Recommender = c.Recommender with { RouterTargets = RouterTargets.HeldOutEvents } }),
            // not a paper row: stage 2 of the tokenizer with our collaborative term beside the paper's reconstruction
            new GenCdrBenchModel(CollaborativeAdaptersVariant, c => c with { Tokenizer = c.Tokenizer with { AdapterCollaborativeWeight = 1f } }),
            // not a paper row: a backbone that has not seen the domains together, so that the universal experts carry the
            // cross-domain transitions
            new GenCdrBenchModel(InDomainBackboneVariant, c => c with { Recommender = c.Recommender with { BackboneHistory = HistoryView.InDomain } }),
            // not a paper row: every item of the domain a negative in every step, as SASRec's cross-entropy
            new GenCdrBenchModel(FullSoftmaxVariant, c => c with { Recommender = c.Recommender with { SampledNegatives = 0 } }),
            new GenCdrBenchModel($"{Full} w/o MTM", c => c with { Tokenizer = c.Tokenizer with { UseMtm = false } }),
            new GenCdrBenchModel($"{Full} w/o Item Adapter", c => c with { Tokenizer = c.Tokenizer with { UseItemAdapters = false } }),
            new GenCdrBenchModel($"{Full} w/o Specific Expert", c => c with { Recommender = c.Recommender with { UseDomainExperts = false } }),
            new GenCdrBenchModel($"{Full} w/o Universal Experts", c => c with { Recommender = c.Recommender with { UseUniversalExperts = false } }),
            // not a paper row: nothing trained or decoded reads another domain's history (see NoCrossDomainAblation)
            new GenCdrBenchModel(NoCrossDomainAblation, c => c with
            {
                Recommender = c.Recommender with { BackboneHistory = HistoryView.InDomain, UseUniversalExperts = false },
            }),
            new GenCdrBenchModel($"{Full} w/o MoE Gate (Avg.)", c => c with { Recommender = c.Recommender with { ExpertGate = ExpertGate.Average } }),
            new UnconstrainedGenCdrBenchModel($"{Full} w/o Prefix Tree", full),
        ];
    }

    /// <summary>The models whose names are in <paramref name="names"/> (case-insensitive), in suite order;
    /// every name must be a model of the list.</summary>
    public static IReadOnlyList<IBenchModel> Only(IReadOnlyList<IBenchModel> models, IReadOnlyCollection<string> names)
    {
        var unknown = names.Where(n => !models.Any(m => string.Equals(m.Name, n.Trim(), StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
            throw new GenCdrException($"unknown model(s) {string.Join(", ", unknown.Select(n => $"'{n}'"))} " +
                                      $"(models: {string.Join(", ", models.Select(m => $"'{m.Name}'"))})");
        return models.Where(m => names.Any(n => string.Equals(m.Name, n.Trim(), StringComparison.OrdinalIgnoreCase))).ToList();
    }
}
