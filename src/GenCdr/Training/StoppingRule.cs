namespace GenCdr.Training;

/// <summary>
/// The one model-selection rule of the project, used by every trained model (GenCDR's stages, TIGER, SASRec, BERT4Rec;
/// issue #11: the same validation sample and the same stopping rule for all): after every validated epoch, a validation
/// Recall@10 at least as high as the best so far makes that epoch the best (a tie goes to the later epoch, which has
/// trained longer: at Amazon's recall level a sampled validation ties often); training runs at most <c>epochs</c>, never
/// stops in the first <c>earlyStoppingAfter</c> fraction of them, and after that stops once <c>patience</c> epochs have
/// passed without a new best. The best epoch's weights are the ones kept.
/// </summary>
public static class StoppingRule
{
    /// <summary>Whether a validation score makes its epoch the new best.</summary>
    public static bool Improves(double recall, double best) => recall >= best;

    /// <summary>Whether to train another epoch after <paramref name="epochsDone"/>, the best being
    /// <paramref name="bestEpoch"/> (0: the starting model, or none yet).</summary>
    public static bool ShouldTrainOn(int epochsDone, int bestEpoch, int epochs, int patience, double earlyStoppingAfter)
    {
        int earliestStop = (int)Math.Ceiling(epochs * earlyStoppingAfter);
        return epochsDone < epochs && (epochsDone < earliestStop || epochsDone - bestEpoch < patience);
    }
}
