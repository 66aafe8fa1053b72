using System.Diagnostics;
using GenCdr.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// Trains SASRec on the training events only (<see cref="PreparedDataset.TrainingHistory"/>): every
/// next-item position of every training window is a target, with a full softmax cross-entropy over all items
/// of the target's domain (default), or the paper's binary cross-entropy against one sampled negative
/// (<see cref="SasRecLoss.SampledBce"/>), or STOSA's BPR with its positive-vs-negative term (<see cref="SasRecLoss.StosaBpr"/>). AdamW; after each epoch the validation Recall@10 (mean over domains, on a fixed
/// user sample) decides early stopping, and the best epoch's weights are kept.
/// </summary>
public sealed class SasRecTrainer(SasRecConfig config)
{
    public SasRecConfig Config { get; } = config;

    /// <param name="itemText">the items' text embeddings, for the text modes of <see cref="SasRecConfig.ItemVectors"/></param>
    /// <param name="checkpointFolder">where to keep a <see cref="TrainerCheckpoint{TEpoch}"/> after every epoch and to resume
    /// from (null: no checkpoints)</param>
    public (SasRecRecommender Model, SasRecTrainingReport Report) Train(PreparedDataset data, Action<SasRecEpoch>? onEpoch = null,
        IReadOnlyList<IReadOnlyList<float[]>>? itemText = null, string? checkpointFolder = null, Action<string>? log = null)
    {
        var dropout = manual_seed(Config.Seed);
        var network = new SasRecNetwork(Config, data.Items.Select(i => i.Count).ToArray(), itemText, Graphs(data, Config));
        var optimizer = optim.AdamW(network.parameters(), lr: Config.LearningRate, weight_decay: Config.WeightDecay);
        var windows = Enumerable.Range(0, data.UserCount)
            .SelectMany(u => SasRecInput.TrainingWindows(data.TrainingHistory(u), data.DomainCount, Config)).ToArray();
        int targets = windows.Sum(w => w.Length - 1);
        var recommender = new SasRecRecommender(network);
        using var stopping = new EarlyStopping(network, recommender, data, Config.MaxEpochs, Config.Patience, Config.EarlyStoppingAfter, Config.ValidationMaxQueries);

        var rng = new Random(Config.Seed);
        var negatives = new Random(Config.Seed + 1);
        var contrast = new Generator((ulong)Config.Seed + 2);                 // C2DSR's corrupted histories
        var epochs = new List<SasRecEpoch>();
        Generator[] generators = [dropout, contrast];
        var checkpoint = checkpointFolder is null ? null
            : new TrainerCheckpoint<SasRecEpoch>(checkpointFolder, TrainerCheckpoint<SasRecEpoch>.Fingerprint(Config, data, windows.Length, itemText), log);
        int resumedAfter = 0;
        if (checkpoint?.TryResume(network, optimizer, stopping, generators) is { } resumed)
        {
            resumedAfter = resumed.EpochsDone;
            epochs.AddRange(resumed.Epochs);
            // the .NET streams are replayed: the finished epochs' shuffles and, for the sampled losses, their negatives
            for (int epoch = 1; epoch <= resumedAfter; epoch++)
                foreach (var batch in ShuffledEpoch.Batches(windows.Length, Config.BatchSize, rng))
                    if (Config.Loss is SasRecLoss.SampledBce or SasRecLoss.StosaBpr)
                        DrawNegatives(network, batch.Select(i => windows[i]).ToList(), negatives);
            log?.Invoke($"resuming after epoch {resumedAfter} ({checkpoint.Folder})");
        }
        for (int epoch = resumedAfter + 1; stopping.ShouldTrainOn(epoch - 1); epoch++)
        {
            var watch = Stopwatch.StartNew();
            double loss = ShuffledEpoch.Run(network, optimizer, windows.Length, Config.BatchSize, rng,
                batch => Config.Loss switch
                {
                    SasRecLoss.SampledBce => SampledBceLoss(network, batch.Select(i => windows[i]).ToList(), negatives),
                    SasRecLoss.StosaBpr => StosaBprLoss(network, batch.Select(i => windows[i]).ToList(), negatives, Config.PvnWeight),
                    _ => Loss(network, batch.Select(i => windows[i]).ToList(), contrast),
                },
                (Config.LearningRateSchedule, Config.LearningRate), epoch, Config.MaxEpochs);
            var (recall, improved) = stopping.Validate(epoch);
            var record = new SasRecEpoch(epoch, loss, recall, watch.Elapsed.TotalSeconds, improved);
            epochs.Add(record);
            checkpoint?.Save(epoch, network, optimizer, stopping, generators, epochs);
            onEpoch?.Invoke(record);
        }
        stopping.RestoreBest();
        network.eval();
        return (recommender, new SasRecTrainingReport(epochs, stopping.BestEpoch, stopping.BestRecall, windows.Length, targets)
            { ResumedAfterEpoch = resumedAfter });
    }

    /// <summary>
    /// Mean cross-entropy over all next-item targets of a batch of windows: the input is each window without
    /// its last event, the target at each position the following event, scored against every item of the
    /// target event's domain.
    /// </summary>
    static Tensor Loss(SasRecNetwork network, IReadOnlyList<Event[]> windows, Generator contrast)
    {
        using var shared = network.ShareGraphTable();
        var (hidden, domains, items, tokens, positions) = NextItemTargets(network, windows);
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
        var loss = sum! / count;
        // C2DSR's and TriCDR's contrastive terms
        return network.ContrastiveWeight > 0 ? loss + network.ContrastiveWeight * network.ContrastiveLoss(tokens, positions, hidden, contrast) : loss;
    }

    /// <summary>
    /// The paper's objective (Eq. 10): −log σ(r_pos) − log(1 − σ(r_neg)) at every next-item position, with one
    /// negative drawn uniformly from the target's domain among the items not in the window, averaged over targets.
    /// </summary>
    static Tensor SampledBceLoss(SasRecNetwork network, IReadOnlyList<Event[]> windows, Random rng)
    {
        var (h, positive, negative) = SampledPairs(network, windows, rng);
        var pos = (h * network.ItemVectors(positive)).sum(-1);
        var neg = (h * network.ItemVectors(negative)).sum(-1);
        return -(nn.functional.logsigmoid(pos) + nn.functional.logsigmoid(-neg)).mean();
    }

    /// <summary>STOSA's objective (<see cref="SasRecLoss.StosaBpr"/>): −log σ(s_pos − s_neg) + λ·[W₂²(u, pos) − W₂²(pos, neg)]₊
    /// with s = −W₂²(user, item), one sampled negative per target as in <see cref="SampledBceLoss"/>, averaged over targets.</summary>
    static Tensor StosaBprLoss(SasRecNetwork network, IReadOnlyList<Event[]> windows, Random rng, double pvnWeight)
    {
        var (h, positive, negative) = SampledPairs(network, windows, rng);
        var (pos, neg) = (network.ItemGaussians(positive), network.ItemGaussians(negative));
        Tensor Distance(Tensor a, Tensor b) => (a - b).pow(2).sum(-1);                   // W₂² of [μ ‖ Σ^½] rows
        var (toPositive, toNegative) = (Distance(h, pos), Distance(h, neg));
        var bpr = -nn.functional.logsigmoid(toNegative - toPositive);
        var pvn = nn.functional.relu(toPositive - Distance(pos, neg));
        return (bpr + pvnWeight * pvn).mean();
    }

    /// <summary>Every target of a batch of windows with one negative drawn uniformly from the target's domain among the
    /// items not in the window: the hidden state [N, H'] predicting it and the positive and negative tokens [N].</summary>
    static (Tensor Hidden, Tensor Positive, Tensor Negative) SampledPairs(SasRecNetwork network, IReadOnlyList<Event[]> windows, Random rng)
    {
        var (hidden, domains, items, _, _) = NextItemTargets(network, windows);
        long width = domains.shape[1];
        var domainOf = domains.data<long>().ToArray();
        var itemOf = items.data<long>().ToArray();
        var positive = new long[domainOf.Length];
        var negative = new long[domainOf.Length];
        var drawn = DrawNegatives(network, windows, rng);
        for (int b = 0; b < windows.Count; b++)
        {
            // the targets of window b are its last drawn[b].Length columns (NextItemTargets aligns them right)
            for (int j = 0; j < drawn[b].Length; j++)
            {
                long column = (b + 1) * width - drawn[b].Length + j;
                int d = (int)domainOf[column];
                positive[column] = network.Token(d, (int)itemOf[column]);
                negative[column] = network.Token(d, drawn[b][j]);
            }
        }
        var has = domains.ge(0);
        var targets = has.flatten();
        return (hidden[has], tensor(positive)[targets], tensor(negative)[targets]);
    }

    /// <summary>One negative item per target of each window (its events after the first, in order): drawn uniformly from
    /// the target's domain, redrawn (at most 100 times) while the window holds it.</summary>
    static int[][] DrawNegatives(SasRecNetwork network, IReadOnlyList<Event[]> windows, Random rng) =>
        windows.Select(window =>
        {
            var seen = window.Select(e => (e.Domain, e.Item)).ToHashSet();
            return window[1..].Select(target =>
            {
                int count = network.ItemCount(target.Domain), item, tries = 0;
                do item = rng.Next(count); while (seen.Contains((target.Domain, item)) && ++tries < 100);
                return item;
            }).ToArray();
        }).ToArray();

    /// <summary>The hidden states of a batch of windows (each without its last event) and, per position, the
    /// next event's domain (−1 where there is none) and item: [B, W, H], [B, W], [B, W].</summary>
    static (Tensor Hidden, Tensor Domains, Tensor Items, Tensor Tokens, Tensor Positions) NextItemTargets(SasRecNetwork network, IReadOnlyList<Event[]> windows)
    {
        var inputs = windows.Select(w => (IReadOnlyList<Event>)w[..^1]).ToList();
        var (tokens, positions, times) = SasRecInput.Encode(inputs, network);
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
        return (network.Hidden(tokens, positions, times), tensor(targetDomain, [windows.Count, width]), tensor(targetItem, [windows.Count, width]),
            tokens, positions);
    }

    /// <summary>C2DSR's item graphs of <paramref name="data"/>'s training transitions (null for the other encoders).</summary>
    public static (ItemTransitionGraph, ItemTransitionGraph)? Graphs(PreparedDataset data, SasRecConfig config) =>
        config.Encoder == SequenceEncoder.C2dsr
            ? (ItemTransitionGraph.FromTraining(data, crossDomain: true), ItemTransitionGraph.FromTraining(data, crossDomain: false))
            : null;
}
