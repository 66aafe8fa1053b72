using GenCdr.Data;
using GenCdr.Evaluation;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// Early stopping on the validation Recall@10 (mean over domains, on a fixed user sample of at most
/// <c>maxQueries</c> queries, all when null, drawn with the evaluator's default sample seed so that every model of the
/// project, GenCDR included, is selected on the same users), shared by the SASRec and BERT4Rec trainers: every
/// <see cref="Validate"/> that beats the best score so far snapshots the network's weights; after
/// <c>patience</c> validations without improvement <see cref="ShouldStop"/> turns true, and
/// <see cref="RestoreBest"/> puts the best weights back.
/// </summary>
public sealed class EarlyStopping(nn.Module network, IRecommender recommender, PreparedDataset data, int patience, int? maxQueries)
    : IDisposable
{
    readonly EvaluationOptions _validation = new() { Ks = [10], MaxQueries = maxQueries };
    Dictionary<string, Tensor>? _best;
    int _sinceBest;

    /// <summary>The best validation Recall@10 seen so far (−∞ before the first validation).</summary>
    public double BestRecall { get; private set; } = double.NegativeInfinity;

    /// <summary>The epoch of <see cref="BestRecall"/> (0 before the first validation).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>True once <c>patience</c> validations in a row did not improve on the best.</summary>
    public bool ShouldStop => _sinceBest >= patience;

    /// <summary>Evaluates the validation split after <paramref name="epoch"/>; keeps a copy of the weights when
    /// the score is the best so far.</summary>
    public (double Recall, bool Improved) Validate(int epoch)
    {
        double recall = Evaluator.Evaluate(recommender, data, Split.Validation, _validation).MeanOverDomains("Recall@10");
        bool improved = recall > BestRecall;
        if (improved)
        {
            BestRecall = recall;
            BestEpoch = epoch;
            _sinceBest = 0;
            DisposeBest();
            _best = network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        }
        else _sinceBest++;
        return (recall, improved);
    }

    /// <summary>Loads the best epoch's weights back into the network (nothing to do if none was validated).</summary>
    public void RestoreBest()
    {
        if (_best is null) return;
        network.load_state_dict(_best);
        DisposeBest();
    }

    public void Dispose() => DisposeBest();

    void DisposeBest()
    {
        if (_best is null) return;
        foreach (var t in _best.Values) t.Dispose();
        _best = null;
    }
}
