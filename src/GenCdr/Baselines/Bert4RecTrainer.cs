using System.Diagnostics;
using GenCdr.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// Trains BERT4Rec with the Cloze objective (paper §3.6) on the training events only
/// (<see cref="PreparedDataset.TrainingHistory"/>). Every epoch, each training window is masked afresh
/// (<see cref="Bert4RecMasking"/>: random positions, or only the last one) and the loss is the cross-entropy of
/// the masked positions alone (Eq. 8), with a full softmax over all items of the masked item's domain. AdamW;
/// after every <see cref="Bert4RecConfig.ValidateEvery"/> epochs the validation Recall@10 (mean over domains,
/// on a fixed user sample) decides early stopping, and the best epoch's weights are kept.
/// </summary>
public sealed class Bert4RecTrainer(Bert4RecConfig config)
{
    public Bert4RecConfig Config { get; } = config;

    /// <param name="checkpointFolder">where to keep a <see cref="TrainerCheckpoint{TEpoch}"/> after every epoch and to resume
    /// from (null: no checkpoints)</param>
    public (Bert4RecRecommender Model, Bert4RecTrainingReport Report) Train(PreparedDataset data, Action<Bert4RecEpoch>? onEpoch = null,
        string? checkpointFolder = null, Action<string>? log = null)
    {
        if (Config.MaskProbability is <= 0 or > 1) throw new GenCdrException($"BERT4Rec: MaskProbability must be in (0, 1], was {Config.MaskProbability}");
        if (Config.LastItemOnlyProbability is < 0 or > 1) throw new GenCdrException($"BERT4Rec: LastItemOnlyProbability must be in [0, 1], was {Config.LastItemOnlyProbability}");
        if (Config.BatchSize < 1 || Config.ValidateEvery < 1) throw new GenCdrException("BERT4Rec: BatchSize and ValidateEvery must be ≥ 1");
        if (Config.Patience < 1) throw new GenCdrException($"BERT4Rec: Patience must be ≥ 1, was {Config.Patience}");
        if (Config.EarlyStoppingAfter is < 0 or > 1) throw new GenCdrException($"BERT4Rec: EarlyStoppingAfter must be in [0, 1], was {Config.EarlyStoppingAfter}");
        Config.LearningRateSchedule.Validate("Bert4Rec");
        var watch = Stopwatch.StartNew();
        var dropout = manual_seed(Config.Seed);
        var network = new Bert4RecNetwork(Config, data.Items.Select(i => i.Count).ToArray());
        var optimizer = optim.AdamW(network.parameters(), lr: Config.LearningRate, weight_decay: Config.WeightDecay);
        var windows = Enumerable.Range(0, data.UserCount)
            .SelectMany(u => Bert4RecInput.TrainingWindows(data.TrainingHistory(u), data.DomainCount, Config)).ToArray();
        var recommender = new Bert4RecRecommender(network);
        using var stopping = new EarlyStopping(network, recommender, data, Config.MaxEpochs, Config.Patience * Config.ValidateEvery, Config.EarlyStoppingAfter, Config.ValidationMaxQueries);

        var rng = new Random(Config.Seed);
        var epochs = new List<Bert4RecEpoch>();
        var checkpoint = checkpointFolder is null ? null
            : new TrainerCheckpoint<Bert4RecEpoch>(checkpointFolder, TrainerCheckpoint<Bert4RecEpoch>.Fingerprint(Config, data, windows.Length), log);
        int resumedAfter = 0;
        if (checkpoint?.TryResume(network, optimizer, stopping, [dropout]) is { } resumed)
        {
            resumedAfter = resumed.EpochsDone;
            epochs.AddRange(resumed.Epochs);
            // the .NET stream is replayed: the finished epochs' shuffles and masks, in the order the epochs drew them
            for (int epoch = 1; epoch <= resumedAfter; epoch++)
                foreach (var batch in ShuffledEpoch.Batches(windows.Length, Config.BatchSize, rng))
                    foreach (int i in batch) Bert4RecMasking.Sample(windows[i], Config, network.Vocabulary, rng);
            log?.Invoke($"resuming after epoch {resumedAfter} ({checkpoint.Folder})");
        }
        for (int epoch = resumedAfter + 1; stopping.ShouldTrainOn(epoch - 1); epoch++)
        {
            var epochWatch = Stopwatch.StartNew();
            // Each window is masked afresh every epoch, drawing from the same generator as the shuffle.
            double loss = ShuffledEpoch.Run(network, optimizer, windows.Length, Config.BatchSize, rng,
                batch => Loss(network, batch.Select(i => Bert4RecMasking.Sample(windows[i], Config, network.Vocabulary, rng)).ToList()),
                (Config.LearningRateSchedule, Config.LearningRate), epoch, Config.MaxEpochs);
            double? recall = null;
            bool improved = false;
            if (epoch % Config.ValidateEvery == 0 || epoch == Config.MaxEpochs)
                (recall, improved) = stopping.Validate(epoch);
            var record = new Bert4RecEpoch(epoch, loss, recall, epochWatch.Elapsed.TotalSeconds, improved);
            epochs.Add(record);
            checkpoint?.Save(epoch, network, optimizer, stopping, [dropout], epochs);
            onEpoch?.Invoke(record);
        }
        stopping.RestoreBest();
        network.eval();
        long parameters = network.parameters().Sum(p => p.numel());
        using var process = Process.GetCurrentProcess();
        var report = new Bert4RecTrainingReport(epochs, stopping.BestEpoch, stopping.BestRecall, windows.Length, windows.Sum(w => w.Length),
            parameters, watch.Elapsed.TotalSeconds, process.PeakWorkingSet64) { ResumedAfterEpoch = resumedAfter };
        return (recommender, report);
    }

    /// <summary>
    /// Mean cross-entropy over the masked positions of a batch (paper Eq. 8): the hidden state at each masked
    /// position is scored against every item of the masked item's domain; unmasked positions add nothing.
    /// </summary>
    public static Tensor Loss(Bert4RecNetwork network, IReadOnlyList<Bert4RecSample> samples)
    {
        var (tokens, positions) = Bert4RecInput.Encode(samples.Select(s => s.Tokens).ToList(), network.Config.MaxLength);
        int width = (int)tokens.shape[1];
        var rows = new List<long>[network.Vocabulary.DomainCount];
        var items = new List<long>[network.Vocabulary.DomainCount];
        for (int d = 0; d < rows.Length; d++) (rows[d], items[d]) = ([], []);
        for (int b = 0; b < samples.Count; b++)
            foreach (var target in samples[b].Targets)
            {
                rows[target.Domain].Add((long)b * width + Bert4RecInput.Column(target.Position, samples[b].Tokens.Length, width));
                items[target.Domain].Add(target.Item);
            }
        var hidden = network.forward(tokens, positions);
        hidden = hidden.reshape(-1, hidden.shape[2]);                            // [B·W, H]
        Tensor? sum = null;
        for (int d = 0; d < rows.Length; d++)
        {
            if (rows[d].Count == 0) continue;
            var logits = network.DomainScores(hidden.index_select(0, tensor(rows[d].ToArray())), d);
            var part = nn.functional.cross_entropy(logits, tensor(items[d].ToArray()), reduction: nn.Reduction.Sum);
            sum = sum is null ? part : sum + part;
        }
        int count = rows.Sum(r => r.Count);
        if (sum is null) throw new ArgumentException("a batch without masked positions has no loss", nameof(samples));
        return sum / count;
    }
}
