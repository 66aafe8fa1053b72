using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>Means over one epoch, with codebook usage (stage 1) and wall time.</summary>
public sealed record EpochLog(int Epoch, TokenizerLosses Losses, IReadOnlyList<LevelUsage>? Usage, double Seconds);

/// <summary>Outcome of stage 1 (universal RQ-VAE).</summary>
public sealed record UniversalTrainingResult(IReadOnlyList<EpochLog> Epochs, double Seconds);

/// <summary>Outcome of stage 2 for one domain (its adapter and router).</summary>
/// <param name="InitialGate">the distribution of g over the domain's items before stage 2, from the router as initialised:
/// the spread a router shows without having learnt anything, against which the trained spread is read (docs/routers.md)</param>
public sealed record AdapterTrainingResult(string Domain, IReadOnlyList<EpochLog> Epochs, double Seconds, GateStatistics? InitialGate = null);

/// <summary>Trains the domain-adaptive tokenizer in the paper's two stages (spec §1, §4 steps 1–2):
/// stage 1 pre-trains the universal RQ-VAE on the items of all domains with
/// L_pretrain = L_recon + λ1 L_quant + λ2 L_MTM; stage 2, per domain, trains that domain's LoRA adapter and item
/// router with L = ||x − D(Q(z_fused))||² + β_VIB KL (+ λ1 L_quant(z_fused) when AdapterCommitment, our addition)
/// while everything else stays frozen.</summary>
public sealed class TokenizerTrainer(TokenizerConfig config, Action<TrainingProgress>? progress = null)
{
    /// <summary>The tokenizer to train: the config with InputDim taken from the embeddings, one adapter and router
    /// per domain (unless ablated), initialised from the config's seed.</summary>
    public ItemTokenizer CreateTokenizer(IReadOnlyList<DomainItems> domains)
    {
        var first = domains.SelectMany(d => d.Embeddings).FirstOrDefault()
                    ?? throw new GenCdrException("tokenizer: no item embeddings to train on");
        return new ItemTokenizer(config with { InputDim = first.Length }, domains.Select(d => d.Domain).ToArray());
    }

    /// <summary>Stage 1 on the items of all domains; the encoder's adapters are inactive and untouched.</summary>
    public UniversalTrainingResult TrainUniversal(ItemTokenizer tokenizer, IReadOnlyList<DomainItems> domains)
    {
        var cfg = tokenizer.Config;
        var rq = tokenizer.RqVae;
        var clock = Stopwatch.StartNew();
        var device = tokenizer.Device;
        var generator = new Generator((ulong)cfg.Seed + 1, device);
        using var all = EmbeddingTensors.ToTensor(domains.SelectMany(d => d.Embeddings).ToArray(), cfg.InputDim, "tokenizer input", device);
        long n = all.shape[0];

        rq.Encoder.SetActiveAdapter(null);
        var adapters = rq.Encoder.AllAdapterParameters().ToHashSet(ReferenceEqualityComparer.Instance);
        var parameters = rq.parameters().Where(p => !adapters.Contains(p)).ToList();
        foreach (var p in parameters) p.requires_grad = true;
        tokenizer.train();
        using var optimizer = optim.AdamW(parameters, cfg.LearningRate, weight_decay: cfg.WeightDecay);
        var usage = new CodebookUsage(cfg.Levels, cfg.CodebookSize);
        int stepsPerEpoch = (int)((n + cfg.BatchSize - 1) / cfg.BatchSize);
        var log = new List<EpochLog>();

        for (int epoch = 1; epoch <= cfg.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            using var order = randperm(n, device: device, generator: generator);
            if (epoch == 1) InitializeCodebooks(rq, all, order, cfg, generator);
            usage.ResetCounts();
            var losses = new LossAccumulator();
            for (int step = 0; step < stepsPerEpoch; step++)
            {
                using var scope = NewDisposeScope();
                long start = (long)step * cfg.BatchSize;
                var x = all.index_select(0, order.narrow(0, start, Math.Min(n, start + cfg.BatchSize) - start));
                var output = rq.forward(x);
                var loss = output.ReconLoss + cfg.Lambda1 * output.Quantization.QuantLoss;
                MtmOutput? mtm = rq.Mtm?.forward(output.Quantization.CodeVectors, output.Quantization.Codes);
                if (mtm is not null) loss = loss + cfg.Lambda2 * mtm.Loss;
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();

                usage.Record(output.Quantization.Codes.ToHostArray<long>());
                if (cfg.DeadCodeCheckInterval > 0 && usage.Step % cfg.DeadCodeCheckInterval == 0)
                    ReseedDeadCodes(rq.Quantizer, usage, output.Quantization.Residuals, cfg, generator);

                var read = Devices.ToHostScalars(output.ReconLoss, output.Quantization.QuantLoss,
                    ResidualQuantizer.UnexplainedShareTensor(output.Latent, output.Quantization), mtm?.Loss, mtm?.Correct, mtm?.Masked, loss);
                losses.Add(read[0], read[1], read[2], read[3], (long)read[4], (long)read[5], 0, read[6]);
                bool last = step + 1 == stepsPerEpoch;
                var levelUsage = last ? usage.Snapshot() : null;
                progress?.Invoke(new TrainingProgress(TokenizerStage.Universal, null, epoch, cfg.Epochs, step + 1,
                    stepsPerEpoch, losses.Mean(), last, levelUsage));
                if (last) log.Add(new EpochLog(epoch, losses.Mean(), levelUsage, epochClock.Elapsed.TotalSeconds));
            }
        }
        tokenizer.eval();
        return new UniversalTrainingResult(log, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Stage 2 for every domain in turn (a no-op without item adapters).</summary>
    public IReadOnlyList<AdapterTrainingResult> TrainAdapters(ItemTokenizer tokenizer, IReadOnlyList<DomainItems> domains)
    {
        if (!tokenizer.HasAdapters) return [];
        return domains.Select((d, i) => TrainAdapter(tokenizer, d, i)).ToList();
    }

    /// <summary>Stage 2 for one domain: only its LoRA adapter (on the encoder) and its router receive gradients.</summary>
    public AdapterTrainingResult TrainAdapter(ItemTokenizer tokenizer, DomainItems domain, int domainIndex)
    {
        var cfg = tokenizer.Config;
        var clock = Stopwatch.StartNew();
        var device = tokenizer.Device;
        var generator = new Generator((ulong)(cfg.Seed + 100 + domainIndex), device);
        using var all = EmbeddingTensors.ToTensor(domain.Embeddings, cfg.InputDim, $"domain '{domain.Domain}'", device);
        long n = all.shape[0];
        // read in eval mode without gradients (the router's mean path): draws nothing from any generator
        var initialGate = GateStatistics.Of(tokenizer.EncodeWithGates(domain.Domain, domain.Embeddings).Gates);

        foreach (var p in tokenizer.parameters()) p.requires_grad = false;
        var parameters = tokenizer.RqVae.Encoder.AdapterParameters(domain.Domain)
            .Concat(tokenizer.Router(domain.Domain).parameters()).ToList();
        foreach (var p in parameters) p.requires_grad = true;
        tokenizer.train();
        using var optimizer = optim.AdamW(parameters, cfg.AdapterLearningRate, weight_decay: cfg.WeightDecay);
        int stepsPerEpoch = (int)((n + cfg.BatchSize - 1) / cfg.BatchSize);
        var log = new List<EpochLog>();
        // The collaborative term draws its transitions from a stream of its own, so the paper's objective (weight 0)
        // trains exactly as it did before the term existed.
        using var transitions = cfg.AdapterCollaborativeWeight > 0 && domain.Transitions.Count > 0
            ? TransitionBatches.Create(domain.Transitions, cfg.BatchSize, (ulong)(cfg.Seed + 200 + domainIndex), device)
            : null;

        for (int epoch = 1; epoch <= cfg.AdapterEpochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            using var order = randperm(n, device: device, generator: generator);
            var losses = new LossAccumulator();
            for (int step = 0; step < stepsPerEpoch; step++)
            {
                using var scope = NewDisposeScope();
                long start = (long)step * cfg.BatchSize;
                var x = all.index_select(0, order.narrow(0, start, Math.Min(n, start + cfg.BatchSize) - start));
                var (z, _, kl) = tokenizer.FusedLatent(domain.Domain, x);
                var output = tokenizer.RqVae.FromLatent(x, z);
                var loss = output.ReconLoss + cfg.BetaVib * kl;
                if (cfg.AdapterCommitment) loss = loss + cfg.Lambda1 * output.Quantization.QuantLoss;
                Tensor? collaborative = null;
                if (transitions is not null)
                {
                    var (from, to) = transitions.Next();
                    collaborative = CollaborativeAlignment.Loss(tokenizer.FusedLatent(domain.Domain, all.index_select(0, from)).Latent,
                        tokenizer.FusedLatent(domain.Domain, all.index_select(0, to)).Latent, cfg.AdapterCollaborativeTemperature);
                    loss = loss + cfg.AdapterCollaborativeWeight * collaborative;
                }
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();

                var read = Devices.ToHostScalars(output.ReconLoss, output.Quantization.QuantLoss,
                    ResidualQuantizer.UnexplainedShareTensor(output.Latent, output.Quantization), kl, loss, collaborative);
                losses.Add(read[0], read[1], read[2], 0, 0, 0, read[3], read[4], read[5]);
                bool last = step + 1 == stepsPerEpoch;
                progress?.Invoke(new TrainingProgress(TokenizerStage.DomainAdapter, domain.Domain, epoch, cfg.AdapterEpochs,
                    step + 1, stepsPerEpoch, losses.Mean(), last, null));
                if (last) log.Add(new EpochLog(epoch, losses.Mean(), null, epochClock.Elapsed.TotalSeconds));
            }
        }
        foreach (var p in parameters) p.requires_grad = false;
        tokenizer.eval();
        return new AdapterTrainingResult(domain.Domain, log, clock.Elapsed.TotalSeconds, initialGate);
    }

    /// <summary>k-means initialisation of the codebooks from the latents of the first shuffled items (up to
    /// KMeansSampleSize), before the first step.</summary>
    private static void InitializeCodebooks(RqVae rq, Tensor all, Tensor order, TokenizerConfig cfg, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long count = Math.Min(all.shape[0], Math.Max(cfg.KMeansSampleSize, cfg.BatchSize));
        var z = rq.Encoder.forward(all.index_select(0, order.narrow(0, 0, count)));
        rq.Quantizer.InitializeWithKMeans(z, cfg.KMeansIterations, generator);
    }

    /// <summary>Codes unused for DeadCodeUnusedSteps steps are moved onto random residuals of the current batch.</summary>
    private static void ReseedDeadCodes(ResidualQuantizer quantizer, CodebookUsage usage, Tensor residuals,
        TokenizerConfig cfg, Generator generator)
    {
        for (int level = 0; level < cfg.Levels; level++)
        {
            var dead = usage.DeadCodes(level, cfg.DeadCodeUnusedSteps);
            if (dead.Length == 0) continue;
            quantizer.Reseed(level, dead, residuals[.., level], generator);
            usage.MarkFresh(level, dead);
        }
    }

}
