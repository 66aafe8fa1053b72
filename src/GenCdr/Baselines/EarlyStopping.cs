using GenCdr.Training;
using GenCdr.Data;
using GenCdr.Evaluation;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// Early stopping of the SASRec and BERT4Rec trainers under the project's one <see cref="StoppingRule"/> (the rule of
/// GenCDR's stages): validation Recall@10 (mean over domains) on a fixed user sample of at most <c>maxQueries</c> queries
/// (all when null), drawn with the evaluator's default sample seed so that every model of the project, GenCDR included,
/// is selected on the same users. Every <see cref="Validate"/> that is a new best snapshots the network's weights;
/// <see cref="ShouldTrainOn"/> applies the rule, and <see cref="RestoreBest"/> puts the best weights back.
/// </summary>
/// <param name="patienceEpochs">epochs without a new best before stopping (a trainer that validates every n epochs passes
/// its patience in validations × n)</param>
/// <param name="earlyStoppingAfter">the fraction of <paramref name="maxEpochs"/> during which training never stops</param>
public sealed class EarlyStopping(nn.Module network, IRecommender recommender, PreparedDataset data, int maxEpochs, int patienceEpochs,
    double earlyStoppingAfter, int? maxQueries) : IDisposable
{
    readonly EvaluationOptions _validation = new() { Ks = [10], MaxQueries = maxQueries };
    Dictionary<string, Tensor>? _best;

    /// <summary>The best validation Recall@10 seen so far (−∞ before the first validation).</summary>
    public double BestRecall { get; private set; } = double.NegativeInfinity;

    /// <summary>The epoch of <see cref="BestRecall"/> (0 before the first validation).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Whether to train another epoch after <paramref name="epochsDone"/> (<see cref="StoppingRule.ShouldTrainOn"/>).</summary>
    public bool ShouldTrainOn(int epochsDone) => StoppingRule.ShouldTrainOn(epochsDone, BestEpoch, maxEpochs, patienceEpochs, earlyStoppingAfter);

    /// <summary>Evaluates the validation split after <paramref name="epoch"/>; keeps a copy of the weights when
    /// the score is the best so far.</summary>
    public (double Recall, bool Improved) Validate(int epoch)
    {
        double recall = Evaluator.Evaluate(recommender, data, Split.Validation, _validation).MeanOverDomains("Recall@10");
        bool improved = StoppingRule.Improves(recall, BestRecall);
        if (improved)
        {
            BestRecall = recall;
            BestEpoch = epoch;
            DisposeBest();
            _best = network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        }
        return (recall, improved);
    }

    /// <summary>Loads the best epoch's weights back into the network (nothing to do if none was validated).</summary>
    public void RestoreBest()
    {
        if (_best is null) return;
        network.load_state_dict(_best);
        DisposeBest();
    }

    /// <summary>Writes the best epoch's weights (nothing when none was validated), for <see cref="TrainerCheckpoint{TEpoch}"/>.</summary>
    public void SaveBest(string path)
    {
        if (_best is not null) AtomicFile.Write(path, (string temp) => TorchSharp.PyBridge.Safetensors.SaveStateDict(temp, _best));
    }

    /// <summary>Takes up a stopped run's state: its best epoch and score and that epoch's weights (owned from now on).</summary>
    public void Resume(int bestEpoch, double bestRecall, Dictionary<string, Tensor>? best)
    {
        DisposeBest();
        (BestEpoch, BestRecall, _best) = (bestEpoch, bestRecall, best);
    }

    public void Dispose() => DisposeBest();

    void DisposeBest()
    {
        if (_best is null) return;
        foreach (var t in _best.Values) t.Dispose();
        _best = null;
    }
}
