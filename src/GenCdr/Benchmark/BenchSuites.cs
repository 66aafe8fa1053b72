using GenCdr.Baselines;
using GenCdr.Data;

namespace GenCdr.Benchmark;

/// <summary>
/// The named benchmark suites. <c>builtin</c> runs on the generated data set with shortened training so that
/// every model finishes in minutes on 2 cores; the Amazon suites use the CPU defaults of every config (the
/// paper's pairs: Sports–Clothing is the paper's "Leisure" scenario; Clothing–Beauty is not in the paper).
/// </summary>
public static class BenchSuites
{
    public const string BuiltIn = "builtin", BuiltInDesigned = "builtin-designed", SportsClothing = "sports-clothing",
        ClothingBeauty = "clothing-beauty";

    public static IReadOnlyList<string> Names { get; } = [BuiltIn, BuiltInDesigned, SportsClothing, ClothingBeauty];

    /// <summary>The default folder of the shared Amazon files, relative to the working directory.</summary>
    public const string DefaultDataRoot = "../shared/data";

    /// <summary>A suite by name (case-insensitive); <paramref name="dataRoot"/> is used by the Amazon suites.</summary>
    public static BenchSuite Resolve(string name, string dataRoot = DefaultDataRoot) => name.ToLowerInvariant() switch
    {
        BuiltIn => Builtin(),
        BuiltInDesigned => BuiltinDesigned(),
        SportsClothing => Amazon(SportsClothing, dataRoot,
            "Amazon 2014 5-core Sports_and_Outdoors and Clothing_Shoes_and_Jewelry (the paper's Leisure scenario), " +
            "read from the shared copies (see their PROVENANCE.md), merged per user by time. " +
            "Item text: Clothing items have their titles (joined_items.tsv); **Sports items have no titles in any " +
            "source found, so their text is IDGenRec's generated proxy phrases** (item_generative_indexing_phase_0.txt), " +
            "not the product text the paper embedded. Sports results therefore measure GenCDR with weaker item text."),
        ClothingBeauty => Amazon(ClothingBeauty, dataRoot,
            "Amazon 2014 5-core Clothing_Shoes_and_Jewelry and Beauty, read from the shared copies (see their " +
            "PROVENANCE.md), merged per user by time; item text is the product titles (joined_items.tsv). " +
            "Beauty is not one of the paper's domains, so only Clothing has paper rows."),
        _ => throw new GenCdrException($"unknown bench suite '{name}' (known: {string.Join(", ", Names)})"),
    };

    /// <summary>
    /// The generated data set (3,000 users, 1,500 items per domain) with the recommender's training cut so that the
    /// whole suite (four tokenizers, four backbones, the later stages of five GenCDR variants, SASRec, seven
    /// beam-search evaluations of about 4,000 test users) finishes in minutes on 2 cores. The tokenizer keeps its
    /// defaults (40 + 20 epochs take seconds here; with 15 epochs the RQ-VAE was undertrained, reconstruction 0.43
    /// against 0.33 after 20, and a backbone on its IDs reached validation Recall@10 0.01–0.02 after 3 epochs
    /// against 0.04 with the better IDs). Recommender: d=64, 2 layers, FFN 256 (default d=128, 4 layers, FFN 512);
    /// backbone 8 epochs, universal experts 1, domain adapter 1 and router 6 per domain (defaults 20/6/6/6; a router
    /// epoch costs about 2 s here, and on the designed data set its validation peaked after 4–8 epochs); each
    /// stage keeps its best epoch by validation Recall@10 on the default 2,000 users per domain, i.e. every validation
    /// user of this data set, for every model (it was 300, where one or two hits decided a stage), but never stops early
    /// (patience 8: with 150 users and patience 2 the noisy validation stopped a backbone after 3 of 5 epochs and kept
    /// its first). SASRec at most 15 epochs. Measured on the shared machine under load (one torch thread): a backbone
    /// epoch 13–62 s, GenCDR's test decoding 61–308 users/s; the whole suite 17 min (load average 4–9).
    /// </summary>
    public static BenchSuite Builtin()
    {
        var defaults = new RunConfig();
        return new BenchSuite
        {
            Name = BuiltIn,
            GenCdr = defaults with
            {
                Recommender = defaults.Recommender with
                {
                    DModel = 64, Layers = 2, Heads = 4, KvHeads = 2, FfnDim = 256,
                    BackboneEpochs = 8, UniversalEpochs = 1, DomainEpochs = 1, RouterEpochs = 6,
                },
                Schedule = defaults.Schedule with { Patience = 8 },
            },
            SasRec = new SasRecConfig { MaxEpochs = 15 },
            Bert4Rec = new Bert4RecConfig { MaxEpochs = 20 },
            Provenance =
                "The built-in generated data set (SyntheticDatasetGenerator, seed " + defaults.Data.Synthetic.Seed +
                "): outdoor gear and apparel shoppers with style, price, colour and brand tastes that carry across " +
                "domains, product-type successions within a domain, and template item text (brand, descriptor, " +
                "colour, material, type). It is not a data set of the paper, so there are no paper rows; it exists " +
                "so that the whole benchmark runs with no download. Training is shortened (see suite.json).",
        };
    }

    /// <summary>
    /// The built-in suite on the generated data set with designed user kinds (issue #12): most users (80 %) shop in both
    /// domains; a quarter of those are "local" (their own tastes and brand memory in each domain: their other domain says
    /// nothing about this one), the others "transfer" (one taste for both) with only 3 events in one of their domains
    /// (its "receiving" domain, recorded as transfer@DOMAIN), where they buy by taste alone. The design: (b) the other
    /// domain's history tells a transfer user's taste in its receiving domain better than its 2 in-domain items, so a
    /// model that reads it ("GenCDR") should beat one that never does ("w/o Cross-Domain History"); (c) a local user's
    /// other domain misleads, so the user router should give transfer users more of P_univ (the report gives the AUC of w
    /// between the kinds). Local users were half of them until the measurements of docs/routers.md ("How many users'
    /// tastes transfer"): with half, what the merged histories teach is right for one half and wrong for the other, and
    /// even a router told each user's kind gained nothing over the in-domain model; with a quarter the cross-domain
    /// history's gain on validation excluded 0 in outdoor. configs/builtin-designed-receiving.json is the same model and
    /// data for `gencdr run` (a test keeps them equal). Same schedule as <see cref="Builtin"/>.
    /// </summary>
    public static BenchSuite BuiltinDesigned()
    {
        var builtin = Builtin();
        var data = builtin.GenCdr.Data;
        return builtin with
        {
            Name = BuiltInDesigned,
            GenCdr = builtin.GenCdr with
            {
                Data = data with { Synthetic = data.Synthetic with { OverlapFraction = 0.8, LocalTasteFraction = 0.25, TransferReceivingEvents = 3, ReceivingDomainTasteOnly = true } },
            },
            Provenance = builtin.Provenance + " This suite's variant of it has designed user kinds (OverlapFraction 0.8, " +
                "LocalTasteFraction 0.25, TransferReceivingEvents 3, ReceivingDomainTasteOnly): the router diagnostics report how well w separates them.",
        };
    }

    /// <summary>
    /// An Amazon pair (≈71 k users, ≈41 k items, ≈575 k events) with a model and a schedule cut to fit about an hour on
    /// 2 cores for all of GenCDR's stages. The item layout (one position per item, exact scoring over the domain's items)
    /// makes a backbone epoch ≈ 650 k positions against ≈ 2.9 M SID tokens in the token layout, but with d = 128 and
    /// 4 layers an epoch still took ≈ 6 min on 2 threads (measured), so the model has 2 layers (default 4) at d = 128,
    /// FFN 512 (the defaults). d = 64 / FFN 256, SASRec's size, was the setting until the clothing-beauty probe of
    /// docs/recipe.md: at d = 128 the final model's validation Recall@10 (mean over domains, 2,000 users each) was
    /// 0.0670 against 0.0648, for ≈ 1.6× the training time; one model for two domains gets the width of the two
    /// per-domain SASRecs it replaces; batch 128 and 4,096 sampled negatives (defaults 64 and 2,048: in a probe on this
    /// pair, two backbone epochs reached validation Recall@10 0.0375 against 0.0362 at the defaults, level within the
    /// sample's noise, in 17 % less time,
    /// docs/recipe.md); backbone 12 epochs, universal experts 2, domain adapter 4 and user router 1 per
    /// domain (defaults 20/6/6/2), each
    /// under the warm-up + cosine schedule, the best epoch by validation Recall@10 kept. Every model is selected on the
    /// same fixed sample of <see cref="AmazonValidationQueries"/> validation users per domain (at Recall@10 ≈ 0.03 a
    /// 300-user sample sees ≈ 9 hits, whose noise exceeds the gain between epochs). SASRec and BERT4Rec at most 20
    /// epochs. Test: every user. configs/amazon-cpu.json ships the same recommender schedule for `gencdr run` (a test
    /// keeps them equal).
    /// </summary>
    public const int AmazonValidationQueries = 5000;

    static BenchSuite Amazon(string name, string dataRoot, string provenance)
    {
        var defaults = new RunConfig();
        return new BenchSuite
        {
            Name = name,
            GenCdr = defaults with
            {
                Data = new DataConfig { Source = name, DataRoot = Path.GetFullPath(dataRoot) },
                Recommender = defaults.Recommender with
                {
                    DModel = 64, Layers = 2, Heads = 4, KvHeads = 2, FfnDim = 256, BatchSize = 128, SampledNegatives = 4096,
                    // 4 domain-adapter epochs (2 before the in-domain domain pass became the default): the domain
                    // pass now reads another view of the user than the backbone was trained on, so it has more to learn
                    BackboneEpochs = 12, UniversalEpochs = 2, DomainEpochs = 4, RouterEpochs = 1,
                },
                Schedule = defaults.Schedule with { ValidationQueries = AmazonValidationQueries },
            },
            SasRec = new SasRecConfig { MaxEpochs = 20, ValidationMaxQueries = AmazonValidationQueries },
            Bert4Rec = new Bert4RecConfig { MaxEpochs = 20, ValidationMaxQueries = AmazonValidationQueries },
            Provenance = provenance + " Training is cut to fit about two hours per model on 2 cores (see suite.json).",
        };
    }
}
