using GenCdr.Tokenization;
using TorchSharp;
using GenCdr.Data;
using GenCdr.Training;
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
    readonly ItemCodeTable? _items;
    /// <summary>The model's device, where the trainer's batches and draws go.</summary>
    readonly Device _device;
    /// <summary>Draws the sampled softmax's negatives (item layout) on the model's device, seeded by the configuration.</summary>
    readonly Generator _negatives;
    readonly Dictionary<(Stage, int), AdamW> _optimizers = [];
    /// <summary>The item-ID table's row-sparse update (stage 0 only; <see cref="ItemIdTable"/> says why).</summary>
    LazyAdamW? _itemIdOptimizer;

    /// <param name="model">the model, already on the device it trains on</param>
    /// <param name="items">the domains' items as code tokens: required by the item layout, whose loss is a softmax
    /// over the target domain's items</param>
    public RecommenderTrainer(GenerativeRecommender model, ItemCodeTable? items = null)
    {
        if (model.Config.Layout == SequenceLayout.Item && items is null)
            throw new ArgumentNullException(nameof(items), "the item layout trains against the domains' item tables");
        _model = model;
        _items = items;
        _device = model.Device;
        _negatives = new Generator((ulong)model.Config.Seed + 7, _device);
    }

    /// <summary>The parameters a stage trains; all others are frozen during it.</summary>
    public static IReadOnlyList<Parameter> TrainableParameters(GenerativeRecommender model, Stage stage, int? domain)
    {
        IEnumerable<Parameter> own = stage switch
        {
            Stage.Backbone => model.BackboneParameters(),
            Stage.Universal => model.Backbone.UniversalParameters(),
            Stage.DomainAdapter => model.Backbone.DomainParameters(RequireDomain(model, stage, domain)),
            Stage.UserRouter => model.Router(RequireDomain(model, stage, domain)).parameters(),
            _ => throw new ArgumentOutOfRangeException(nameof(stage)),
        };
        if (stage != Stage.Backbone && StagePlan.TrainsNewTokens(model.Config, stage, domain)) own = own.Concat(model.NewTokenParameters());
        return own.ToList();
    }

    /// <summary>
    /// Seeds every random stream of the next epoch from <paramref name="seed"/>: dropout (torch's global generator), the
    /// sampled negatives and the routers' VIB noise; returns the epoch's data-order generator. An epoch's randomness is
    /// then a function of its seed alone, which is what makes a resumed run exact (<see cref="RecommenderTraining"/>).
    /// </summary>
    public Random BeginEpoch(int seed)
    {
        random.manual_seed(seed);
        _negatives.manual_seed((long)(uint)seed + 7);
        for (int d = 0; d < _model.Vocabulary.DomainCount; d++) _model.Router(d).Reseed((ulong)(uint)seed + 101 * (ulong)(d + 1));
        return new Random(seed);
    }

    /// <summary>Writes the optimizer state of a stage (AdamW's moments and step counts; in stage 0 also the item-ID
    /// table's lazy moments), so that a resumed stage continues exactly where it stopped.</summary>
    public void SaveOptimizerState(Stage stage, int? domain, string path) => AtomicFile.Write(path, (Stream stream) =>
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        PrepareOptimizers(stage, domain).save_state_dict(writer);
        writer.Write(_itemIdOptimizer is not null && TrainsNewTokens(stage, domain));
        if (TrainsNewTokens(stage, domain)) _itemIdOptimizer?.SaveState(writer);
    });

    /// <summary>Restores what <see cref="SaveOptimizerState"/> wrote, for the same stage of the same model.</summary>
    public void LoadOptimizerState(Stage stage, int? domain, string path)
    {
        if (!File.Exists(path)) throw new GenCdrException($"{path}: the optimizer state of the checkpoint to resume from is missing");
        using var reader = new BinaryReader(File.OpenRead(path));
        try
        {
            PrepareOptimizers(stage, domain).load_state_dict(reader);
            if (reader.ReadBoolean()) _itemIdOptimizer!.LoadState(reader);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or EndOfStreamException)
        {
            throw new GenCdrException($"{path}: optimizer state does not match this stage ({e.Message})", e);
        }
    }

    /// <summary>
    /// One pass over <paramref name="sequences"/> (token or item layout, as the model's configuration says) in shuffled
    /// batches of <see cref="RecommenderConfig.BatchSize"/>, epoch <paramref name="epoch"/> (1-based) of at most
    /// <paramref name="epochs"/>: the learning rate follows <see cref="RecommenderConfig.LearningRateSchedule"/> over
    /// those epochs' steps. Stages that need a domain skip sequences without a target of it. Returns the mean loss per
    /// batch (NaN if no batch had a target).
    /// </summary>
    /// <param name="progress">called after each step with (step, steps, loss)</param>
    public double TrainEpoch(IReadOnlyList<IRecommenderSequence> sequences, Stage stage, int? domain, Random rng,
        int epoch = 1, int epochs = 1, Action<int, int, float>? progress = null)
    {
        Freeze(TrainableParameters(_model, stage, domain));
        _model.train();
        // Stage 4b: the two frozen passes are evaluated without dropout; only the router samples (VIB).
        if (stage == Stage.UserRouter) _model.Backbone.eval();
        var optimizer = PrepareOptimizers(stage, domain);
        var idTable = TrainsNewTokens(stage, domain) ? _model.ItemIds : null;
        double baseRate = BaseRate(stage);
        var batches = Batches(sequences, Relevant(sequences, stage, domain).ToArray(), _model.Config.BatchSize, rng);
        int steps = batches.Count;
        double total = 0;
        int counted = 0;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            double rate = _model.Config.LearningRateSchedule.Apply(optimizer, baseRate, (long)(epoch - 1) * steps + step, (long)epochs * steps);
            var slice = batches[step].Select(i => sequences[i]).ToList();
            optimizer.zero_grad();
            var loss = Loss(slice, stage, domain);
            if (loss is null) { idTable?.ForgetUsedRows(); continue; }
            loss.backward();
            optimizer.step();
            if (idTable is not null)
            {
                _itemIdOptimizer!.LearningRate = rate;
                _itemIdOptimizer.Step(idTable.TakeUsedRows());
            }
            float value = loss.item<float>();
            total += value;
            counted++;
            progress?.Invoke(step + 1, steps, value);
        }
        _model.eval();
        return counted == 0 ? double.NaN : total / counted;
    }

    /// <summary>The stage's loss on a batch of either layout, or null when it has no target for the stage.</summary>
    internal Tensor? Loss(IReadOnlyList<IRecommenderSequence> slice, Stage stage, int? domain)
    {
        if (_model.Config.Layout == SequenceLayout.Item)
        {
            // stage 0 and stage 4a train on the stage table's input for them (the sequences, or their in-domain items)
            var sequences = StagePlan.TrainingInput(_model.Config, stage, slice.Cast<ItemSequence>().ToList(), domain);
            using var items = ItemBatch.Create(sequences, _model.Vocabulary, _device);
            if (stage != Stage.UserRouter) return ItemLoss(items, stage, domain);
            var domainInput = StagePlan.DomainPassInput(_model.Config, sequences, domain!.Value);
            using var own = ReferenceEquals(domainInput, sequences) ? null : ItemBatch.Create(domainInput, _model.Vocabulary, _device);
            return ItemLoss(items, stage, domain, own ?? items);
        }
        using var tokens = TokenBatch.Create(slice.Cast<TokenSequence>().ToList(), _device);
        return Loss(tokens, stage, domain);
    }

    /// <summary>
    /// Shuffled batches of similar length: the shuffled sequences are sorted by length within windows of
    /// <see cref="BucketBatches"/> batches, cut into batches, and the batches shuffled. Every batch pads to its
    /// longest sequence, so mixing a 2-item and a 20-item history in one batch wastes most of its compute.
    /// </summary>
    internal static List<int[]> Batches(IReadOnlyList<IRecommenderSequence> sequences, int[] order, int batchSize, Random rng)
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
                var selection = Selection(stage, domain, batch.Count);
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
            var hidden = net.Hidden(batch.Tokens.repeat(2, 1), batch.Valid.repeat(2, 1), batch.Positions.repeat(2, 1),
                StagePlan.MixtureAdapters(_model.Config, full(b, (long)domain, dtype: int64, device: batch.Tokens.device)), null);
            var logProbs = nn.functional.log_softmax(net.Logits(hidden), -1);
            var picked = logProbs.gather(2, targets.clamp_min(0).repeat(2, 1).unsqueeze(-1)).squeeze(-1); // [2B, T]
            universalLogProb = picked[..b];
            domainLogProb = picked[b..];
            var state = UserRouter.State(hidden[..b], batch.Valid);                                   // [B, T, 2d]
            userState = state.gather(1, batch.RouterColumn.unsqueeze(-1).expand(-1, -1, state.shape[2]));
        }
        var has = targets.ne(-1);
        var (w, kl) = _model.Router(domain).Route(userState[has]);
        var mixed = UserRouter.Mix(w, universalLogProb[has], domainLogProb[has]);
        return -mixed.mean() + _model.Config.BetaVib * kl;
    }

    /// <summary>The adapters a stage trains through, from the stage table (the mixture stage runs its own two passes).</summary>
    AdapterSelection Selection(Stage stage, int? domain, int rows) =>
        StagePlan.Adapters(_model.Config, StagePlan.PassesOf(stage), () => full(rows, (long)domain!.Value, dtype: int64, device: _device));

    /// <summary>
    /// The item layout's stage loss: at every position with a target, −log P(target | history, d) under a softmax
    /// over the items of the target's domain d (<see cref="TargetLogProb"/>), averaged over targets; per-domain stages
    /// keep only domain-d targets. Stage 4b mixes the frozen universal and domain passes with the router's w, read from
    /// the running mean of the universal pass's hidden states up to the position, exactly as at decoding time.
    /// </summary>
    /// <param name="domainBatch">stage 4b: the domain pass's batch (<see cref="StagePlan.DomainPassInput"/>; default: <paramref name="batch"/>)</param>
    internal Tensor? ItemLoss(ItemBatch batch, Stage stage, int? domain, ItemBatch? domainBatch = null)
    {
        var targets = batch.TargetItem;
        var targetDomain = batch.TargetDomain;
        if (stage is Stage.DomainAdapter or Stage.UserRouter)
            targetDomain = targetDomain.masked_fill(targetDomain.ne(domain!.Value), -1);
        var has = targetDomain.ge(0);
        // the targets of every domain in one read from the device, not one read per domain
        var perDomain = bincount(targetDomain.masked_select(has), minlength: _model.Vocabulary.DomainCount).ToHostArray<long>();
        long count = perDomain.Sum();
        if (count == 0) return null;
        if (stage == Stage.UserRouter) return ItemMixtureLoss(batch, domainBatch ?? batch, targets, has, domain!.Value);
        var hidden = _model.ItemHidden(batch, Selection(stage, domain, batch.Count));
        Tensor? sum = null;
        for (int d = 0; d < _model.Vocabulary.DomainCount; d++)
        {
            if (perDomain[d] == 0) continue;
            var selected = targetDomain.eq(d);
            var part = -TargetLogProb(hidden[selected], targets[selected], d, DrawNegatives(d)).sum();
            sum = sum is null ? part : sum + part;
        }
        return sum! / count;
    }

    /// <summary>
    /// The negatives of one batch's softmax over domain d: <see cref="RecommenderConfig.SampledNegatives"/> items of d
    /// drawn uniformly, shared by the batch's rows; null for a full softmax (0, or at least as many as d has items).
    /// On an Amazon domain of 23 k items the full softmax costs ≈ 0.6 ms per target position on 2 cores, ten times
    /// the transformer's own cost; decoding always scores every item exactly.
    /// </summary>
    Tensor? DrawNegatives(int domain)
    {
        int negatives = _model.Config.SampledNegatives, items = _items!.ItemCount(domain);
        return negatives == 0 || negatives >= items ? null : randint(items, [negatives], dtype: int64, device: _device, generator: _negatives);
    }

    /// <summary>
    /// log P(target | h, d) per row [N]: a log-softmax over every item of d, or, with <paramref name="negatives"/>, over
    /// each row's own target and the shared uniform negatives (a negative equal to the row's target is masked out).
    /// Only the row's own target is a positive: other rows' targets are popularity-biased samples that would need a
    /// log-Q correction in every row's softmax, while uniform negatives shift every logit alike and need none.
    /// </summary>
    Tensor TargetLogProb(Tensor hidden, Tensor targets, int domain, Tensor? negatives)
    {
        var all = _items!.Tokens(domain, _device);
        if (negatives is null)
            return nn.functional.log_softmax(hidden.matmul(_model.ItemVectors(_items, domain).t()), -1).gather(1, targets.unsqueeze(1)).squeeze(1);
        var positive = (hidden * _model.ItemVectors(all.index_select(0, targets), domain, targets)).sum(-1, keepdim: true);     // [N, 1]
        var negative = hidden.matmul(_model.ItemVectors(all.index_select(0, negatives), domain, negatives).t())                 // [N, M]
            .masked_fill(negatives.unsqueeze(0).eq(targets.unsqueeze(1)), float.NegativeInfinity);
        var logits = cat([positive, negative], 1);
        return positive.squeeze(1) - logits.logsumexp(1);
    }

    /// <summary>Stage 4b in the item layout. The domain pass's batch holds, row by row, the same domain-d targets in the same
    /// order (the batch itself, or its in-domain items: <see cref="ItemSequence.InDomain"/>), so its target positions line
    /// up with <paramref name="has"/>'s one for one.</summary>
    Tensor ItemMixtureLoss(ItemBatch batch, ItemBatch domainBatch, Tensor targets, Tensor has, int domain)
    {
        Tensor universalLogProb, domainLogProb, userState;
        using (no_grad())
        {
            var (universal, own) = _model.ItemMixtureHidden(batch, domainBatch, domain);
            var picked = targets[has];
            // misaligned batches would give the two passes different row counts, which the mixture below refuses
            var ownHas = ReferenceEquals(batch, domainBatch) ? has : domainBatch.TargetDomain.eq(domain);
            var negatives = DrawNegatives(domain);
            universalLogProb = TargetLogProb(universal[has], picked, domain, negatives);
            domainLogProb = TargetLogProb(own[ownHas], picked, domain, negatives);
            userState = UserRouter.State(universal, batch.Valid)[has];
        }
        var (w, kl) = _model.Router(domain).Route(userState);
        var mixed = UserRouter.Mix(w, universalLogProb, domainLogProb);
        return -mixed.mean() + _model.Config.BetaVib * kl;
    }

    IEnumerable<int> Relevant(IReadOnlyList<IRecommenderSequence> sequences, Stage stage, int? domain) =>
        Enumerable.Range(0, sequences.Count).Where(i =>
            stage is Stage.Backbone or Stage.Universal || sequences[i].HasTargetIn(domain!.Value));

    void Freeze(IReadOnlyList<Parameter> trainable)
    {
        var on = new HashSet<Parameter>(trainable, ReferenceEqualityComparer.Instance);
        foreach (var p in _model.parameters()) p.requires_grad = on.Contains(p);
    }

    /// <summary>The stage's AdamW (created on first use and kept across its epochs); the stage that trains the new tokens
    /// (stage 0 from scratch) trains the item-ID table
    /// with its own row-sparse update (<see cref="LazyAdamW"/>) and every other trainable parameter with AdamW.</summary>
    AdamW PrepareOptimizers(Stage stage, int? domain)
    {
        var key = (stage, domain ?? -1);
        var idWeight = TrainsNewTokens(stage, domain) ? _model.ItemIds?.Weight : null;
        if (!_optimizers.TryGetValue(key, out var dense))
        {
            var trainable = TrainableParameters(_model, stage, domain).Where(p => !ReferenceEquals(p, idWeight)).ToList();
            dense = optim.AdamW(trainable, BaseRate(stage), weight_decay: _model.Config.WeightDecay);
            _optimizers[key] = dense;
        }
        if (idWeight is not null) _itemIdOptimizer ??= new LazyAdamW(idWeight, BaseRate(stage), _model.Config.WeightDecay);
        return dense;
    }

    /// <summary>Whether the stage trains the new token rows, the item-ID table among them (<see cref="StagePlan.TrainsNewTokens"/>).</summary>
    bool TrainsNewTokens(Stage stage, int? domain) => StagePlan.TrainsNewTokens(_model.Config, stage, domain);

    double BaseRate(Stage stage) => stage == Stage.Backbone ? _model.Config.BackboneLearningRate : _model.Config.AdapterLearningRate;

    static int RequireDomain(GenerativeRecommender model, Stage stage, int? domain) =>
        domain is { } d && d >= 0 && d < model.Vocabulary.DomainCount ? d
            : throw new ArgumentException($"stage {stage} needs a domain in 0..{model.Vocabulary.DomainCount - 1}");
}
