using System.Diagnostics;
using GenCdr.Data;
using GenCdr.Evaluation;
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
        var validation = new EvaluationOptions { Ks = [10], MaxQueries = Config.ValidationMaxQueries, SampleSeed = Config.Seed };

        var rng = new Random(Config.Seed);
        var epochs = new List<SasRecEpoch>();
        Dictionary<string, Tensor>? best = null;
        double bestRecall = double.NegativeInfinity;
        int bestEpoch = 0, sinceBest = 0;
        for (int epoch = 1; epoch <= Config.MaxEpochs && sinceBest < Config.Patience; epoch++)
        {
            var watch = Stopwatch.StartNew();
            double loss = TrainEpoch(network, optimizer, windows, rng);
            double recall = Evaluator.Evaluate(recommender, data, Split.Validation, validation).MeanOverDomains("Recall@10");
            bool improved = recall > bestRecall;
            if (improved)
            {
                bestRecall = recall;
                bestEpoch = epoch;
                sinceBest = 0;
                DisposeAll(best);
                best = Snapshot(network);
            }
            else sinceBest++;
            var record = new SasRecEpoch(epoch, loss, recall, watch.Elapsed.TotalSeconds, improved);
            epochs.Add(record);
            onEpoch?.Invoke(record);
        }
        if (best is not null)
        {
            network.load_state_dict(best);
            DisposeAll(best);
        }
        network.eval();
        return (recommender, new SasRecTrainingReport(epochs, bestEpoch, bestRecall, windows.Length, targets));
    }

    /// <summary>One pass over the shuffled training windows; returns the mean loss per step.</summary>
    double TrainEpoch(SasRecNetwork network, optim.Optimizer optimizer, Event[][] windows, Random rng)
    {
        network.train();
        var order = Enumerable.Range(0, windows.Length).ToArray();
        rng.Shuffle(order);
        double total = 0;
        int steps = 0;
        for (int start = 0; start < order.Length; start += Config.BatchSize)
        {
            using var scope = NewDisposeScope();
            var batch = order.Skip(start).Take(Config.BatchSize).Select(i => windows[i]).ToList();
            var loss = Loss(network, batch);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            total += loss.item<float>();
            steps++;
        }
        return steps == 0 ? double.NaN : total / steps;
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

    static Dictionary<string, Tensor> Snapshot(nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    static void DisposeAll(Dictionary<string, Tensor>? tensors)
    {
        if (tensors is null) return;
        foreach (var t in tensors.Values) t.Dispose();
    }
}
