using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Recommender;

/// <summary>
/// Trains a <see cref="GenerativeRecommender"/> stage by stage on token sequences with AdamW. Each stage has
/// its own optimizer (created on first use, kept across epochs so that the caller can run epochs one at a
/// time and stop early on its own validation metric).
/// </summary>
public sealed class RecommenderTrainer
{
    readonly GenerativeRecommender _model;
    readonly Dictionary<(Stage, int), AdamW> _optimizers = [];

    public RecommenderTrainer(GenerativeRecommender model) { _model = model; }

    /// <summary>The parameters a stage trains; all others are frozen during it.</summary>
    public static IReadOnlyList<Parameter> TrainableParameters(GenerativeRecommender model, Stage stage, int? domain) => stage switch
    {
        Stage.Backbone => model.Backbone.BackboneParameters().ToList(),
        Stage.Universal => model.Backbone.UniversalParameters().ToList(),
        Stage.DomainAdapter => model.Backbone.DomainParameters(RequireDomain(model, stage, domain)).ToList(),
        Stage.UserRouter => RequireDomain(model, stage, domain) >= 0 ? model.Router.parameters().ToList() : [],
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    /// <summary>
    /// One pass over <paramref name="sequences"/> in shuffled batches of <see cref="RecommenderConfig.BatchSize"/>.
    /// Stages that need a domain skip sequences without an item of it. Returns the mean loss per batch
    /// (NaN if no batch had a target).
    /// </summary>
    /// <param name="progress">called after each step with (step, steps, loss)</param>
    public double TrainEpoch(IReadOnlyList<TokenSequence> sequences, Stage stage, int? domain, Random rng,
        Action<int, int, float>? progress = null)
    {
        var trainable = TrainableParameters(_model, stage, domain);
        Freeze(trainable);
        _model.train();
        // Stage 4b: the two frozen passes are evaluated without dropout; only the router samples (VIB).
        if (stage == Stage.UserRouter) _model.Backbone.eval();
        var optimizer = Optimizer(stage, domain, trainable);
        var batches = Batches(sequences, Relevant(sequences, stage, domain).ToArray(), _model.Config.BatchSize, rng);
        int steps = batches.Count;
        double total = 0;
        int counted = 0;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var slice = batches[step].Select(i => sequences[i]).ToList();
            using var batch = TokenBatch.Create(slice);
            optimizer.zero_grad();
            var loss = Loss(batch, stage, domain);
            if (loss is null) continue;
            loss.backward();
            optimizer.step();
            float value = loss.item<float>();
            total += value;
            counted++;
            progress?.Invoke(step + 1, steps, value);
        }
        _model.eval();
        return counted == 0 ? double.NaN : total / counted;
    }

    /// <summary>
    /// Shuffled batches of similar length: the shuffled sequences are sorted by length within windows of
    /// <see cref="BucketBatches"/> batches, cut into batches, and the batches shuffled. Every batch pads to its
    /// longest sequence, so mixing a 2-item and a 20-item history in one batch wastes most of its compute.
    /// </summary>
    internal static List<int[]> Batches(IReadOnlyList<TokenSequence> sequences, int[] order, int batchSize, Random rng)
    {
        rng.Shuffle(order);
        int window = batchSize * BucketBatches;
        for (int start = 0; start < order.Length; start += window)
            Array.Sort(order, start, Math.Min(window, order.Length - start),
                Comparer<int>.Create((a, b) => sequences[a].Length.CompareTo(sequences[b].Length)));
        var batches = order.Chunk(batchSize).ToList();
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(batches));
        return batches;
    }

    const int BucketBatches = 16;

    /// <summary>The stage's loss on one batch, or null when the batch has no target for it.</summary>
    internal Tensor? Loss(TokenBatch batch, Stage stage, int? domain)
    {
        var net = _model.Backbone;
        var targets = batch.Targets;
        if (stage is Stage.DomainAdapter or Stage.UserRouter)
            targets = targets.masked_fill(batch.TargetDomain.ne(domain!.Value), -1);
        if (targets.ne(-1).sum().item<long>() == 0) return null;
        switch (stage)
        {
            case Stage.Backbone:
            case Stage.Universal:
            case Stage.DomainAdapter:
                var selection = stage switch
                {
                    Stage.Backbone => AdapterSelection.BackboneOnly,
                    Stage.Universal => AdapterSelection.WithUniversal,
                    _ => AdapterSelection.WithDomains(full(batch.Count, (long)domain!.Value, dtype: int64),
                        universal: _model.Config.UseUniversalExperts),
                };
                var logits = net.Logits(net.Hidden(batch.Tokens, batch.Valid, batch.Positions, selection, null));
                return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), targets.reshape(-1), ignore_index: -1);
            case Stage.UserRouter:
                return MixtureLoss(batch, targets, domain!.Value);
            default:
                throw new ArgumentOutOfRangeException(nameof(stage));
        }
    }

    /// <summary>
    /// Stage 4b: −log(w·P_univ(y) + (1 − w)·P_dom(y)) over domain-d targets + β_VIB·KL (paper §2c). The two
    /// frozen passes run stacked along the batch; w is read from the universal pass's running mean of the
    /// hidden states at each target item's domain token, exactly as at decoding time.
    /// </summary>
    Tensor MixtureLoss(TokenBatch batch, Tensor targets, int domain)
    {
        var net = _model.Backbone;
        int b = batch.Count;
        Tensor universalLogProb, domainLogProb, userState;
        using (no_grad())
        {
            var rowsDomain = cat([full(b, -1L, dtype: int64), full(b, (long)domain, dtype: int64)]);
            var hidden = net.Hidden(batch.Tokens.repeat(2, 1), batch.Valid.repeat(2, 1), batch.Positions.repeat(2, 1),
                AdapterSelection.WithDomains(rowsDomain, universal: _model.Config.UseUniversalExperts), null);
            var logProbs = nn.functional.log_softmax(net.Logits(hidden), -1);
            var picked = logProbs.gather(2, targets.clamp_min(0).repeat(2, 1).unsqueeze(-1)).squeeze(-1); // [2B, T]
            universalLogProb = picked[..b];
            domainLogProb = picked[b..];
            var running = UserRouter.RunningMean(hidden[..b], batch.Valid);                          // [B, T, d]
            userState = running.gather(1, batch.RouterColumn.unsqueeze(-1).expand(-1, -1, running.shape[2]));
        }
        var has = targets.ne(-1);
        var (w, kl) = _model.Router.Route(userState[has]);
        var mixed = stack([w.clamp_min(1e-6).log() + universalLogProb[has], (1 - w).clamp_min(1e-6).log() + domainLogProb[has]]).logsumexp(0);
        return -mixed.mean() + _model.Config.BetaVib * kl;
    }

    IEnumerable<int> Relevant(IReadOnlyList<TokenSequence> sequences, Stage stage, int? domain) =>
        Enumerable.Range(0, sequences.Count).Where(i =>
            stage is Stage.Backbone or Stage.Universal || sequences[i].TargetDomain.Contains(domain!.Value));

    void Freeze(IReadOnlyList<Parameter> trainable)
    {
        var on = new HashSet<Parameter>(trainable, ReferenceEqualityComparer.Instance);
        foreach (var p in _model.parameters()) p.requires_grad = on.Contains(p);
    }

    AdamW Optimizer(Stage stage, int? domain, IReadOnlyList<Parameter> trainable)
    {
        var key = (stage, domain ?? -1);
        if (_optimizers.TryGetValue(key, out var existing)) return existing;
        double lr = stage == Stage.Backbone ? _model.Config.BackboneLearningRate : _model.Config.AdapterLearningRate;
        var created = optim.AdamW(trainable, lr, weight_decay: _model.Config.WeightDecay);
        _optimizers[key] = created;
        return created;
    }

    static int RequireDomain(GenerativeRecommender model, Stage stage, int? domain) =>
        domain is { } d && d >= 0 && d < model.Vocabulary.DomainCount ? d
            : throw new ArgumentException($"stage {stage} needs a domain in 0..{model.Vocabulary.DomainCount - 1}");
}
