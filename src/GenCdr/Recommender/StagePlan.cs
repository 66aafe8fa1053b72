using GenCdr.Tokenization;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// The stage table of the recommender, read by training, decoding and the bench alike (issue #12: they used to decide
/// the passes separately, e.g. the mixture's domain pass hard-coded the universal experts where training read the
/// switch). One row per stage: what it trains, for how many epochs, and the scoring that validates it; the last row's
/// scoring is what the finished model decodes with (<see cref="FinalPasses"/>), and <see cref="Adapters"/> and
/// <see cref="MixtureAdapters"/> say which LoRA paths each pass runs through. An ablation is a configuration switch;
/// the table turns it into stages and passes in this one place.
/// </summary>
/// <param name="Stage">The parameters trained (see <see cref="Recommender.Stage"/>).</param>
/// <param name="Domain">The domain of a per-domain stage (4a, 4b); null for the mixed-domain stages.</param>
/// <param name="Epochs">Upper bound; early stopping may end it sooner.</param>
/// <param name="Passes">The scoring used to validate it (and, for the last stage, to recommend).</param>
/// <param name="Selection">The validation quantity that picks its kept epoch.</param>
public sealed record StagePlan(Stage Stage, int? Domain, int Epochs, ScoringPasses Passes, SelectionMetric Selection = SelectionMetric.Recall10)
{
    /// <summary>A stable name for checkpoints and logs: "backbone", "universal", "domain-1", "router-1".</summary>
    public string Key => Stage switch
    {
        Stage.Backbone => "backbone",
        Stage.Universal => "universal",
        Stage.DomainAdapter => $"domain-{Domain}",
        _ => $"router-{Domain}",
    };

    /// <summary>
    /// The schedule of paper §4 (steps 3–4) preceded by our stage 0 (spec §5): the backbone on mixed-domain
    /// sequences; the universal experts (backbone frozen); then per domain its adapter (backbone and experts
    /// frozen) and the user router. Ablations drop stages: w/o universal experts skips stage 3 (the domain
    /// adapters then sit on the bare backbone and there is no mixture to route), w/o specific expert skips stage 4.
    /// </summary>
    /// <summary>The scoring the finished model decodes with: that of the last stage the configuration trains.</summary>
    public static ScoringPasses FinalPasses(RecommenderConfig config) => For(config, domainCount: 1)[^1].Passes;

    /// <summary>The LoRA paths of a single-pass scoring (<see cref="ScoringPasses.Mixture"/> has two passes:
    /// <see cref="MixtureAdapters"/>). The domain pass runs through the universal experts when the configuration has them,
    /// in training (stage 4a) and decoding alike.</summary>
    /// <param name="domainPerRow">long [B], each row's target domain (used by the domain pass)</param>
    public static AdapterSelection Adapters(RecommenderConfig config, ScoringPasses passes, Func<Tensor> domainPerRow) => passes switch
    {
        ScoringPasses.Backbone => AdapterSelection.BackboneOnly,
        ScoringPasses.Universal => AdapterSelection.WithUniversal,
        ScoringPasses.Domain => AdapterSelection.WithDomains(domainPerRow(), universal: RunsUniversalExperts(config, passes)),
        _ => throw new ArgumentException("the mixture runs two passes: use MixtureAdapters", nameof(passes)),
    };

    /// <summary>The mixture's two passes stacked along the batch (paper §2c): the universal pass's rows first (no domain
    /// adapter), then the domain pass's rows, exactly the passes <see cref="Adapters"/> gives for
    /// <see cref="ScoringPasses.Universal"/> and <see cref="ScoringPasses.Domain"/>.</summary>
    /// <param name="domainPerRow">long [B], each row's target domain</param>
    public static AdapterSelection MixtureAdapters(RecommenderConfig config, Tensor domainPerRow) =>
        AdapterSelection.WithDomains(cat([full_like(domainPerRow, -1L), domainPerRow]), universal: RunsUniversalExperts(config, ScoringPasses.Mixture));

    /// <summary>The domain pass's input sequences for target domain <paramref name="domain"/>: the sequences themselves
    /// (<see cref="HistoryView.Mixed"/>) or their domain-<paramref name="domain"/> items only
    /// (<see cref="HistoryView.InDomain"/>, <see cref="ItemSequence.InDomain"/>). Stage 4a trains on these, and the
    /// mixture and decoding feed them to the domain pass.</summary>
    public static IReadOnlyList<ItemSequence> DomainPassInput(RecommenderConfig config, IReadOnlyList<ItemSequence> sequences, int domain) =>
        View(config.DomainPassHistory, sequences, domain);

    /// <summary>The input of a single-pass scoring for prompts of target domain <paramref name="domain"/> (the mixture's
    /// domain half is <see cref="DomainPassInput"/>, its universal half the prompts): the backbone pass reads
    /// <see cref="RecommenderConfig.BackboneHistory"/>, the domain pass <see cref="RecommenderConfig.DomainPassHistory"/>,
    /// the universal pass the mixed history.</summary>
    public static IReadOnlyList<ItemSequence> PassInput(RecommenderConfig config, ScoringPasses passes, IReadOnlyList<ItemSequence> prompts, int domain) => passes switch
    {
        ScoringPasses.Backbone => View(config.BackboneHistory, prompts, domain),
        ScoringPasses.Domain => DomainPassInput(config, prompts, domain),
        ScoringPasses.Universal => prompts,
        _ => throw new ArgumentException("the mixture runs two passes: the prompts and DomainPassInput", nameof(passes)),
    };

    /// <summary>What a stage trains on, from a batch of training sequences: stage 0 the backbone's history view (with
    /// <see cref="HistoryView.InDomain"/>, each sequence becomes one in-domain sequence per domain it holds, so every
    /// target is kept once and is predicted from its own domain's items only); stage 4a the domain pass's input; the
    /// other stages the mixed sequences.</summary>
    public static IReadOnlyList<ItemSequence> TrainingInput(RecommenderConfig config, Stage stage, IReadOnlyList<ItemSequence> sequences, int? domain) => stage switch
    {
        Stage.Backbone when config.BackboneHistory == HistoryView.InDomain =>
            sequences.SelectMany(s => s.HistoryDomains().Select(s.InDomain)).ToList(),
        Stage.DomainAdapter => DomainPassInput(config, sequences, domain!.Value),
        _ => sequences,
    };

    static IReadOnlyList<ItemSequence> View(HistoryView view, IReadOnlyList<ItemSequence> sequences, int domain) =>
        view == HistoryView.InDomain ? sequences.Select(s => s.InDomain(domain)).ToList() : sequences;

    /// <summary>Whether a scoring's passes run through the universal experts (and so through the MoE gate).</summary>
    public static bool RunsUniversalExperts(RecommenderConfig config, ScoringPasses passes) => passes switch
    {
        ScoringPasses.Backbone => false,
        ScoringPasses.Universal => true,
        _ => config.UseUniversalExperts,
    };

    /// <summary>With a pretrained backbone there is no stage 0 (the checkpoint is the backbone, frozen as in the paper).</summary>
    public static IReadOnlyList<StagePlan> For(RecommenderConfig config, int domainCount)
    {
        var plan = new List<StagePlan>();
        if (config.PretrainedBackbone is null) plan.Add(Row(Stage.Backbone, null, config.BackboneEpochs));
        if (config.UseUniversalExperts) plan.Add(Row(Stage.Universal, null, config.UniversalEpochs));
        if (config.UseDomainExperts)
        {
            for (int d = 0; d < domainCount; d++)
            {
                plan.Add(Row(Stage.DomainAdapter, d, config.DomainEpochs));
                if (config.UseUniversalExperts) plan.Add(Row(Stage.UserRouter, d, config.RouterEpochs) with { Selection = config.RouterSelection });
            }
        }
        return plan;
    }

    /// <summary>Whether a stage trains the model's new token rows beside its own parameters
    /// (<see cref="GenerativeRecommender.NewTokenParameters"/>): stage 0 does from scratch; with a pretrained backbone the
    /// first LoRA stage of the plan does (the universal stage, or domain 0's adapter without universal experts), since
    /// the SID tokens are new to the checkpoint and no stage after the first may change what earlier stages fitted on.</summary>
    public static bool TrainsNewTokens(RecommenderConfig config, Stage stage, int? domain) =>
        config.PretrainedBackbone is null ? stage == Stage.Backbone
            : For(config, domainCount: 1) is [var first, ..] && first.Stage == stage && (first.Domain ?? 0) == (domain ?? 0);

    /// <summary>The scoring a stage trains through and is validated with: the passes its parameters sit on.</summary>
    public static ScoringPasses PassesOf(Stage stage) => stage switch
    {
        Stage.Backbone => ScoringPasses.Backbone,
        Stage.Universal => ScoringPasses.Universal,
        Stage.DomainAdapter => ScoringPasses.Domain,
        _ => ScoringPasses.Mixture,
    };

    static StagePlan Row(Stage stage, int? domain, int epochs) => new(stage, domain, epochs, PassesOf(stage));
}
