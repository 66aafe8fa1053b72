using GenCdr.Data;
using GenCdr.Evaluation;
using GenCdr.Recommender;

namespace GenCdr.Decoding;

/// <summary>
/// The trained GenCDR model behind the evaluation contract: each query's history is written as SID tokens
/// (last <see cref="RecommenderConfig.MaxItems"/> items + the target domain's token), decoded by beam search
/// over the target domain's prefix tree (or unconstrained for the ablation), and mapped back to item indices.
/// </summary>
public sealed class GenerativeItemRecommender : IRecommender
{
    readonly GenerativeRecommender _model;
    readonly IReadOnlyList<IReadOnlyList<int[]>> _sids;
    readonly SequenceBuilder _builder;
    readonly ConstrainedBeamSearch _search;
    readonly IStepScorer _scorer;

    public string Name { get; }
    /// <summary>Complete SIDs generated and those that were not items of the target domain, over all calls.</summary>
    public int Generated { get; private set; }
    public int Invalid { get; private set; }

    /// <param name="sids">sids[d][i]: the SID of item i of domain d (unique within d)</param>
    public GenerativeItemRecommender(GenerativeRecommender model, IReadOnlyList<IReadOnlyList<int[]>> sids, string name = "GenCDR",
        ScoringPasses? passes = null)
    {
        if (sids.Count != model.Vocabulary.DomainCount) throw new ArgumentException("one SID list per domain is required");
        _model = model;
        _sids = sids;
        _builder = new SequenceBuilder(model.Vocabulary, model.Config.MaxItems);
        _search = new ConstrainedBeamSearch(model.Vocabulary, sids.Select(s => PrefixTrie.Build(model.Vocabulary.Levels, s)).ToList());
        _scorer = new TransformerStepScorer(model, passes ?? TransformerStepScorer.PassesFor(model.Config));
        Name = name;
    }

    /// <summary>The SID items of a history of events.</summary>
    public IReadOnlyList<SidItem> Items(IEnumerable<Event> history) => history.Select(e => new SidItem(e.Domain, _sids[e.Domain][e.Item])).ToList();

    public IReadOnlyList<int[]> Recommend(IReadOnlyList<RecommendationQuery> queries, int k)
    {
        var prompts = queries.Select(q => _builder.BuildPrompt(Items(q.History), q.TargetDomain)).ToList();
        var result = _search.Search(_scorer, prompts, queries.Select(q => q.TargetDomain).ToList(),
            Math.Max(_model.Config.BeamWidth, k), k, _model.Config.UsePrefixTree, _model.Config.DecodeBatchUsers);
        Generated += result.Generated;
        Invalid += result.Invalid;
        return result.PerUser.Select(list => list.Select(r => r.Item).ToArray()).ToList();
    }
}
