using GenCdr.Training;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// One training epoch shared by the SASRec and BERT4Rec trainers: the training windows are shuffled with the
/// trainer's generator, cut into batches of <c>batchSize</c>, and each batch takes one optimiser step on the
/// loss the model computes for it. What a batch's loss is (next-item or Cloze) stays with each model.
/// </summary>
public static class ShuffledEpoch
{
    /// <summary>Runs the epoch and returns the mean loss per step (NaN without windows). <paramref name="batchLoss"/>
    /// receives the window indices of one batch and is called inside that batch's dispose scope. Before each step the
    /// learning rate is set by <paramref name="rate"/> for 1-based epoch <paramref name="epoch"/> of at most
    /// <paramref name="maxEpochs"/>.</summary>
    public static double Run(nn.Module network, optim.Optimizer optimizer, int windowCount, int batchSize, Random rng,
        Func<IEnumerable<int>, Tensor> batchLoss, (LearningRateSchedule Schedule, double BaseRate) rate, int epoch, int maxEpochs)
    {
        long stepsPerEpoch = (windowCount + batchSize - 1) / batchSize;
        network.train();
        double total = 0;
        int steps = 0;
        foreach (var batch in Batches(windowCount, batchSize, rng))
        {
            using var scope = NewDisposeScope();
            rate.Schedule.Apply(optimizer, rate.BaseRate, (epoch - 1) * stepsPerEpoch + steps, maxEpochs * stepsPerEpoch);
            var loss = batchLoss(batch);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            total += loss.item<float>();
            steps++;
        }
        return steps == 0 ? double.NaN : total / steps;
    }

    /// <summary>One epoch's batches of window indices: all windows shuffled with <paramref name="rng"/>, cut into
    /// batches of <paramref name="batchSize"/> (a resumed trainer replays finished epochs' draws through it).</summary>
    public static IEnumerable<int[]> Batches(int windowCount, int batchSize, Random rng)
    {
        var order = Enumerable.Range(0, windowCount).ToArray();
        rng.Shuffle(order);
        for (int start = 0; start < order.Length; start += batchSize)
            yield return order[start..Math.Min(order.Length, start + batchSize)];
    }
}
