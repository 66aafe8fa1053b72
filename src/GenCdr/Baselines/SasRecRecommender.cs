using GenCdr.Data;
using GenCdr.Evaluation;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>SASRec behind <see cref="IRecommender"/>: scores every item of the target domain from the hidden
/// state at the latest event, and ranks with <see cref="TopK"/> (ties: lower item index).</summary>
public sealed class SasRecRecommender(SasRecNetwork network) : IRecommender
{
    public SasRecNetwork Network { get; } = network;

    public string Name => Network.Config.CrossDomainHistory ? "SASRec (cross-domain input)" : "SASRec";

    public IReadOnlyList<int[]> Recommend(IReadOnlyList<RecommendationQuery> queries, int k)
    {
        var results = new int[queries.Count][];
        Network.eval();
        using var noGrad = no_grad();
        foreach (var group in Enumerable.Range(0, queries.Count).GroupBy(i => queries[i].TargetDomain))
        {
            using var scope = NewDisposeScope();
            int domain = group.Key;
            var indices = group.ToArray();
            var inputs = indices.Select(i => (IReadOnlyList<Event>)SasRecInput.InputEvents(queries[i].History, domain, Network.Config)).ToList();
            var (tokens, positions) = SasRecInput.Encode(inputs, Network);
            var last = Network.forward(tokens, positions).select(1, -1);          // [N, H]
            var scores = Network.DomainScores(last, domain).contiguous().data<float>().ToArray();
            int n = Network.ItemCount(domain);
            for (int r = 0; r < indices.Length; r++)
                results[indices[r]] = TopK.Select(scores.AsSpan(r * n, n), k);
        }
        return results;
    }
}
