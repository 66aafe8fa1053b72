using GenCdr.Data;
using GenCdr.Evaluation;
using GenCdr.Recommender;

namespace GenCdr.Decoding;

/// <summary>
/// The trained GenCDR model behind the evaluation contract (paper §3): each query's history becomes a prompt of
/// SID tokens (the last <see cref="RecommenderConfig.MaxItems"/> items, then the target domain's token), and the
/// beam search over the target domain's prefix tree (or unconstrained, for the ablation) generates the top
/// items of that domain. <see cref="Passes"/> picks which adapters score the next code: the full model mixes
/// the universal and the domain pass with the user router's weight (paper §2c).
/// </summary>
public sealed class GenCdrRecommender : IRecommender, ITargetLikelihood
{
    readonly GenerativeRecommender _model;
    readonly IReadOnlyList<IReadOnlyList<int[]>> _sids;
    readonly ItemPromptText? _promptText;
    readonly SequenceBuilder _builder;
    readonly ConstrainedBeamSearch _search;
    readonly TransformerStepScorer _scorer;
    readonly ExactItemScorer? _exact;

    public string Name { get; }
    public ScoringPasses Passes => _scorer.Passes;
    /// <summary>Complete SIDs generated and those that were not items of the target domain (only possible
    /// without the prefix tree), over all calls so far.</summary>
    public long Generated { get; private set; }
    public long Invalid { get; private set; }

    /// <param name="sids">sids[d][i]: the SID of item i of domain d (unique within d); read at every call, so
    /// items appended later are recommendable once they are also in the tries</param>
    /// <param name="tries">the domains' prefix tries over those SIDs; built from <paramref name="sids"/> when null</param>
    /// <param name="passes">default: what the model's configuration implies (ablations switch passes off)</param>
    /// <param name="promptText">every item's text as prompt tokens; required exactly when the model's prompt carries it
    /// (<see cref="RecommenderConfig.PromptItemText"/>)</param>
    public GenCdrRecommender(GenerativeRecommender model, IReadOnlyList<IReadOnlyList<int[]>> sids, string name = "GenCDR",
        ScoringPasses? passes = null, IReadOnlyList<PrefixTrie>? tries = null, ItemPromptText? promptText = null)
    {
        if (sids.Count != model.Vocabulary.DomainCount) throw new ArgumentException("one SID list per domain is required");
        if (model.Config.PromptItemText != (promptText is not null))
            throw new ArgumentException(model.Config.PromptItemText ? "the model's prompt carries item text: pass every item's prompt text"
                : "the model's prompt is SID tokens only, but item prompt text was given", nameof(promptText));
        _model = model;
        _sids = sids;
        _promptText = promptText;
        _builder = new SequenceBuilder(model.Vocabulary, model.Config.MaxItems);
        _search = new ConstrainedBeamSearch(model.Vocabulary, tries ?? sids.Select(s => PrefixTrie.Build(model.Vocabulary.Levels, s)).ToList());
        _scorer = new TransformerStepScorer(model, passes ?? StagePlan.FinalPasses(model.Config));
        if (model.Config.Layout == SequenceLayout.Item)
            _exact = new ExactItemScorer(model, new ItemCodeTable(model.Vocabulary, sids), _scorer.Passes);
        Name = name;
    }

    /// <summary>Users scored together by the exact item scorer: one forward of ≤ MaxItems + 1 positions each, then a
    /// [users × items] score matrix (256 × 23 k floats ≈ 24 MB on Amazon Clothing).</summary>
    const int ExactBatchUsers = 256;

    /// <summary>The SID items of a history of events (the last MaxItems are used), with their prompt text if the model reads it.</summary>
    public IReadOnlyList<SidItem> Items(IEnumerable<Event> history) =>
        history.TakeLast(_model.Config.MaxItems).Select(e => new SidItem(e.Domain, _sids[e.Domain][e.Item], _promptText?.Of(e.Domain, e.Item))).ToList();

    public IReadOnlyList<int[]> Recommend(IReadOnlyList<RecommendationQuery> queries, int k) =>
        Decode(queries, k).PerUser.Select(list => list.Select(r => r.Item).ToArray()).ToList();

    /// <summary>The user router's w and KL(P_dom ‖ P_univ) per query (item layout with the mixture; null otherwise).
    /// Every query must target <paramref name="domain"/>.</summary>
    public (float[] Weight, float[] Divergence)? Routing(IReadOnlyList<RecommendationQuery> queries, int domain)
    {
        if (_exact is null || _exact.Passes != ScoringPasses.Mixture) return null;
        if (queries.Any(q => q.TargetDomain != domain)) throw new ArgumentException("every query must target the given domain", nameof(queries));
        return _exact.Routing(queries.Select(Prompt).ToList(), domain, ExactBatchUsers);
    }

    /// <summary>The MoE gate's mean expert weights and entropy per layer over the queries' positions (item layout with
    /// universal experts; null otherwise).</summary>
    public (double[][] MeanWeights, double[] MeanEntropy)? ExpertGates(IReadOnlyList<RecommendationQuery> queries)
    {
        if (_exact is null || !StagePlan.RunsUniversalExperts(_model.Config, _exact.Passes)) return null;
        return _exact.ExpertGates(queries.Select(Prompt).ToList(), ExactBatchUsers);
    }

    /// <summary>Each query's target item's log-probability and rank under the model's scoring, exact over the candidates
    /// decoding ranks (item layout only: in the token layout the probability would be the product of the item's code
    /// steps under the prefix tree, and its rank the beam's, neither built).</summary>
    public TargetScore[] ScoreTargets(IReadOnlyList<RecommendationQuery> queries, IReadOnlyList<int> targets) =>
        (_exact ?? throw new InvalidOperationException("target log-probabilities need the item layout"))
            .ScoreTargets(queries.Select(Prompt).ToList(), queries.Select(q => q.TargetDomain).ToList(), targets,
                _model.Config.UsePrefixTree, ExactBatchUsers);

    ItemSequence Prompt(RecommendationQuery q) => ItemSequence.Prompt(Items(q.History), q.TargetDomain,
        q.History.TakeLast(_model.Config.MaxItems).Select(e => e.Item).ToList());

    /// <summary>The decoded items with their SIDs and scores (Σ log-probabilities).</summary>
    public DecodeResult Decode(IReadOnlyList<RecommendationQuery> queries, int k)
    {
        var config = _model.Config;
        if (_exact is not null)
        {
            var exact = _exact.Decode(queries.Select(Prompt).ToList(),
                queries.Select(q => q.TargetDomain).ToList(), k, config.UsePrefixTree, ExactBatchUsers);
            Generated += exact.Generated;
            Invalid += exact.Invalid;
            return exact;
        }
        var prompts = queries.Select(q => _builder.BuildPrompt(Items(q.History), q.TargetDomain)).ToList();
        var result = _search.Search(_scorer, prompts, queries.Select(q => q.TargetDomain).ToList(),
            Math.Max(config.BeamWidth, k), k, config.UsePrefixTree, config.DecodeBatchUsers);
        Generated += result.Generated;
        Invalid += result.Invalid;
        return result;
    }
}
