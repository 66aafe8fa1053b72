using System.Diagnostics;
using GenCdr.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// Trains SASRec on the training events only (<see cref="PreparedDataset.TrainingHistory"/>): every
/// next-item position of every training window is a target, with a full softmax cross-entropy over all items
/// of the target's domain (instead of the paper's one sampled negative, which is cheap here and closer to the
/// full-ranking evaluation). AdamW; after each epoch the validation Recall@10 (mean over domains, on a fixed
/// user sample) decides early stopping, and the best epoch's weights are kept.
/// </summary>
public sealed class SasRecTrainer(SasRecConfig config)
{
    public SasRecConfig Config { get; } = config;

    public (SasRecRecommender Model, SasRecTrainingReport Report) Train(PreparedDataset data, Action<SasRecEpoch>? onEpoch = null)
    {
        manual_seed(Config.Seed);
        var network = new SasRecNetwork(Config, data.Items.Select(i => i.Count).ToArray());
        var optimizer = optim.AdamW(network.parameters(), lr: Config.LearningRate, weight_decay: Config.WeightDecay);
        var windows = Enumerable.Range(0, data.UserCount)
            .SelectMany(u => SasRecInput.TrainingWindows(data.TrainingHistory(u), data.DomainCount, Config)).ToArray();
        int targets = windows.Sum(w => w.Length - 1);
        var recommender = new SasRecRecommender(network);
        using var stopping = new EarlyStopping(network, recommender, data, Config.Patience, Config.ValidationMaxQueries, Config.Seed);

        var rng = new Random(Config.Seed);
        var epochs = new List<SasRecEpoch>();
        for (int epoch = 1; epoch <= Config.MaxEpochs && !stopping.ShouldStop; epoch++)
        {
            var watch = Stopwatch.StartNew();
            double loss = ShuffledEpoch.Run(network, optimizer, windows.Length, Config.BatchSize, rng,
                batch => Loss(network, batch.Select(i => windows[i]).ToList()));
            var (recall, improved) = stopping.Validate(epoch);
            var record = new SasRecEpoch(epoch, loss, recall, watch.Elapsed.TotalSeconds, improved);
            epochs.Add(record);
            onEpoch?.Invoke(record);
        }
        stopping.RestoreBest();
        network.eval();
        return (recommender, new SasRecTrainingReport(epochs, stopping.BestEpoch, stopping.BestRecall, windows.Length, targets));
    }

    /// <summary>
    /// Mean cross-entropy over all next-item targets of a batch of windows: the input is each window without
    /// its last event, the target at each position the following event, scored against every item of the
    /// target event's domain.
    /// </summary>
    static Tensor Loss(SasRecNetwork network, IReadOnlyList<Event[]> windows)
    {
        var inputs = windows.Select(w => (IReadOnlyList<Event>)w[..^1]).ToList();
        var (tokens, positions) = SasRecInput.Encode(inputs, network);
        long width = tokens.shape[1];
        var targetDomain = new long[windows.Count * width];
        var targetItem = new long[windows.Count * width];
        Array.Fill(targetDomain, -1L);
        for (int b = 0; b < windows.Count; b++)
        {
            var next = windows[b][1..];
            for (int j = 0; j < next.Length; j++)
            {
                long column = b * width + width - next.Length + j;
                targetDomain[column] = next[j].Domain;
                targetItem[column] = next[j].Item;
            }
        }
        var hidden = network.forward(tokens, positions);                  // [B, W, H]
        var domains = tensor(targetDomain, [windows.Count, width]);
        var items = tensor(targetItem, [windows.Count, width]);
        Tensor? sum = null;
        for (int d = 0; d < network.DomainCount; d++)
        {
            var selected = domains.eq(d);
            if (!selected.any().item<bool>()) continue;
            var logits = network.DomainScores(hidden[selected], d);        // [N_d, items of d]
            var part = nn.functional.cross_entropy(logits, items[selected], reduction: nn.Reduction.Sum);
            sum = sum is null ? part : sum + part;
        }
        long count = domains.ge(0).sum().item<long>();
        return sum! / count;
    }
}
