using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// How well each of the mixture's two passes predicted the user's own earlier items of the target domain: the user
/// router's evidence for choosing between them (item layout, <see cref="RecommenderConfig.RouterTrackRecord"/>; not in
/// the paper, whose router reads the user representation alone).
/// <para>Why: w should be high for a user whose in-domain choices follow the cross-domain taste (P_univ predicts them)
/// and low for one whose choices follow only in-domain habits (P_dom predicts them). The hidden states say what the
/// user did, not which pass has been right about it; on the built-in set with designed user kinds the router without
/// this evidence could not tell the kinds apart (AUC of w 0.48–0.54, docs/routers.md). Each pass's log-probability of
/// the item that came next at every earlier history position whose next item is in domain d gives exactly that record,
/// and it is causal, so training and decoding compute it alike.</para>
/// <para>At a column t the features are [mean over earlier such positions s &lt; t of log P_univ(i_s) − log P_dom(i_s),
/// ln(1 + their count)]; both 0 before the first. The log-probabilities are exact softmaxes over every item of d
/// (<see cref="GenerativeRecommender.ItemLogProb"/>).</para>
/// </summary>
public static class PassTrackRecord
{
    /// <summary>Features per column (<see cref="Features"/>).</summary>
    public const int FeatureCount = 2;

    /// <summary>bool [B, T]: the columns whose next input item is a known item of <paramref name="domain"/>, in a training
    /// batch the columns with a domain-d target (the last column predicts what is asked, never a history item).</summary>
    public static Tensor Predicting(ItemBatch batch, int domain) =>
        cat([batch.ItemDomains[.., 1..].eq(domain).logical_and(batch.Items[.., 1..].ge(0)),
            zeros(batch.Count, 1, dtype: ScalarType.Bool, device: batch.Items.device)], 1);

    /// <summary>long [B, T]: the index of the item each column's next input is (−1 in the last column).</summary>
    public static Tensor NextItems(ItemBatch batch) =>
        cat([batch.Items[.., 1..], full(batch.Count, 1, -1L, dtype: ScalarType.Int64, device: batch.Items.device)], 1);

    /// <summary>The features [B, T, 2] from the two passes' log-probabilities' difference log P_univ − log P_dom [N] at
    /// the <paramref name="predicting"/> columns [B, T] (row-major order), each column seeing only earlier ones.</summary>
    public static Tensor Features(Tensor difference, Tensor predicting)
    {
        var at = zeros(predicting.shape, dtype: difference.dtype, device: difference.device).masked_scatter(predicting, difference);
        var count = predicting.to_type(difference.dtype);
        var earlierSum = at.cumsum(1) - at;                      // exclusive prefix sums: columns s < t only
        var earlierCount = count.cumsum(1) - count;
        return stack([earlierSum / earlierCount.clamp_min(1), earlierCount.log1p()], -1);
    }
}
