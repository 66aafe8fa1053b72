using GenCdr.Decoding;
using GenCdr.Evaluation;
using GenCdr.Recommender;

namespace GenCdr.Training;

/// <summary>
/// GenCDR behind the evaluation contract: each query's history becomes a prompt of SID tokens ending in the
/// target domain's token, and the (prefix-tree constrained) beam search generates the top items of that
/// domain (paper §3). <see cref="Passes"/> picks which adapters score the next code: the full model mixes
/// the universal and the domain pass with the user router's weight (paper §2c).
/// </summary>
public sealed class GenCdrRecommender : IRecommender
{
    readonly GenerativeRecommender _model;
    readonly SemanticIds _sids;
    readonly SequenceBuilder _sequences;
    readonly ConstrainedBeamSearch _search;
    readonly TransformerStepScorer _scorer;

    public string Name { get; }
    public ScoringPasses Passes => _scorer.Passes;
    /// <summary>Complete SIDs generated and those that were not items of the target domain (only possible
    /// without the prefix tree), over all calls so far.</summary>
    public long Generated { get; private set; }
    public long Invalid { get; private set; }

    public GenCdrRecommender(GenerativeRecommender model, SemanticIds sids, ScoringPasses passes, string name = "GenCDR")
    {
        _model = model;
        _sids = sids;
        _sequences = new SequenceBuilder(sids.Vocabulary, model.Config.MaxItems);
        _search = new ConstrainedBeamSearch(sids.Vocabulary, sids.Tries);
        _scorer = new TransformerStepScorer(model, passes);
        Name = name;
    }

    public IReadOnlyList<int[]> Recommend(IReadOnlyList<RecommendationQuery> queries, int k) =>
        Decode(queries, k).PerUser.Select(list => list.Select(r => r.Item).ToArray()).ToArray();

    /// <summary>The decoded items with their SIDs and scores (log-probabilities).</summary>
    public DecodeResult Decode(IReadOnlyList<RecommendationQuery> queries, int k)
    {
        var prompts = queries.Select(q => _sequences.BuildPrompt(_sids.ToSidItems(TakeLast(q.History, _model.Config.MaxItems)), q.TargetDomain)).ToArray();
        var domains = queries.Select(q => q.TargetDomain).ToArray();
        var config = _model.Config;
        var result = _search.Search(_scorer, prompts, domains, Math.Max(config.BeamWidth, k), k,
            constrained: config.UsePrefixTree, usersPerBatch: config.DecodeBatchUsers);
        Generated += result.Generated;
        Invalid += result.Invalid;
        return result;
    }

    static IEnumerable<T> TakeLast<T>(IReadOnlyList<T> list, int n)
    {
        for (int i = Math.Max(0, list.Count - n); i < list.Count; i++) yield return list[i];
    }
}
