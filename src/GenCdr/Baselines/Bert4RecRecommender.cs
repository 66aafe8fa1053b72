using GenCdr.Evaluation;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>BERT4Rec behind <see cref="IRecommender"/> (paper §3.6, test): the query history (target domain only, or
/// merged) with the target domain's [MASK] appended; the hidden state of that [MASK] scores every item of the
/// target domain, ranked with <see cref="TopK"/> (ties: lower item index).</summary>
public sealed class Bert4RecRecommender(Bert4RecNetwork network) : IRecommender
{
    public Bert4RecNetwork Network { get; } = network;

    public string Name => Network.Config.CrossDomainHistory ? "BERT4Rec (cross-domain input)" : "BERT4Rec";

    public IReadOnlyList<int[]> Recommend(IReadOnlyList<RecommendationQuery> queries, int k)
    {
        Network.eval();
        return PerDomainScoring.Recommend(queries, k, (domain, group) =>
        {
            var inputs = group.Select(q => Bert4RecInput.QueryTokens(q.History, domain, Network.Config, Network.Vocabulary)).ToList();
            var (tokens, positions) = Bert4RecInput.Encode(inputs, Network.Config.MaxLength);
            var atMask = Network.forward(tokens, positions).select(1, -1);             // [N, H]: the appended [MASK]
            return Network.DomainScores(atMask, domain);
        });
    }
}
