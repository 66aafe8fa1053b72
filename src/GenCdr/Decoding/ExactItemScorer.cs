using GenCdr.Evaluation;
using GenCdr.Tokenization;
using GenCdr.Recommender;
using static TorchSharp.torch;

namespace GenCdr.Decoding;

/// <summary>
/// Decoding in the item layout (<see cref="SequenceLayout.Item"/>): one forward over each user's history, then
/// every item of the target domain scored exactly, log P(i | history, d) = log softmax over V_d of h · Σ_k e(c_k(i)),
/// and the top k returned. This is the distribution the prefix tree's beam search (paper §3) can only approximate,
/// computed over all of the domain's valid items at once, so no beam can miss an item. With
/// <see cref="ScoringPasses.Mixture"/> the universal and the domain pass run stacked in one forward and the scores
/// are log(w·P_univ + (1 − w)·P_dom) with the user router's w (paper §2c). Without the prefix tree (the ablation), the
/// softmax and the top k run over the items of every domain, and those outside the target domain are dropped, as an
/// unconstrained beam's invalid SIDs are.
/// </summary>
public sealed class ExactItemScorer(GenerativeRecommender model, ItemCodeTable items, ScoringPasses passes)
{
    public ScoringPasses Passes { get; } = passes;

    /// <summary>Run the mixture's two passes as one stacked forward when their inputs differ (the default; false runs
    /// them one after the other, the reference the tests compare against).</summary>
    public bool StackMixture { get; init; } = true;

    /// <summary>The top <paramref name="k"/> items per prompt. Prompts are scored in groups of one target domain.</summary>
    public DecodeResult Decode(IReadOnlyList<ItemSequence> prompts, IReadOnlyList<int> targetDomains, int k, bool constrained, int batchUsers)
    {
        var perUser = new IReadOnlyList<Recommendation>[prompts.Count];
        int generated = 0, invalid = 0;
        ByTargetDomain(targetDomains, batchUsers, (domain, chunk) =>
        {
            var (lists, gen, bad) = DecodeGroup(chunk.Select(i => prompts[i]).ToList(), domain, k, constrained);
            for (int j = 0; j < chunk.Length; j++) perUser[chunk[j]] = lists[j];
            generated += gen;
            invalid += bad;
        });
        return new DecodeResult(perUser, generated, invalid);
    }

    /// <summary>Runs <paramref name="body"/> on the prompt indices of each target domain, in chunks of at most
    /// <paramref name="batchUsers"/> (<see cref="InBatches"/>).</summary>
    void ByTargetDomain(IReadOnlyList<int> targetDomains, int batchUsers, Action<int, int[]> body)
    {
        foreach (var group in Enumerable.Range(0, targetDomains.Count).GroupBy(i => targetDomains[i]))
            InBatches(group.ToList(), batchUsers, chunk => body(group.Key, chunk));
    }

    /// <summary>What this scoring says of each prompt's <paramref name="targets"/> item (an index in the prompt's target
    /// domain): its log-probability under the distribution <see cref="Decode"/> ranks (a pass's softmax, or the mixture
    /// log(w·P_univ + (1 − w)·P_dom), over the same candidates) and its rank there, so that rank &lt; k exactly when
    /// <see cref="Decode"/>'s top k holds it (ties go to the lower candidate index).</summary>
    public TargetScore[] ScoreTargets(IReadOnlyList<ItemSequence> prompts, IReadOnlyList<int> targetDomains, IReadOnlyList<int> targets,
        bool constrained, int batchUsers)
    {
        if (prompts.Count != targets.Count) throw new ArgumentException("one target per prompt", nameof(targets));
        var result = new TargetScore[prompts.Count];
        ByTargetDomain(targetDomains, batchUsers, (domain, chunk) =>
        {
            var chunkPrompts = chunk.Select(i => prompts[i]).ToList();
            using var batch = ItemBatch.Create(chunkPrompts, model.Vocabulary, model.Device);
            var (last, weight) = LastHidden(chunkPrompts, batch, domain);
            var (vectors, _, offset) = Candidates(domain, constrained);
            var scores = Scores(last, weight, vectors, chunk.Length);                                              // [B, N]
            var column = tensor(chunk.Select(i => (long)(offset[domain] + targets[i])).ToArray(), device: scores.device).unsqueeze(1);
            var own = scores.gather(1, column);                                                                    // [B, 1]
            var lower = arange(scores.shape[1], dtype: ScalarType.Int64, device: scores.device).unsqueeze(0).lt(column);
            var rank = scores.gt(own).logical_or(scores.eq(own).logical_and(lower)).sum(1);
            var logProbs = own.squeeze(1).ToHostArray<float>();
            var ranks = rank.ToHostArray<long>();
            for (int j = 0; j < chunk.Length; j++) result[chunk[j]] = new TargetScore(logProbs[j], (int)ranks[j]);
        });
        return result;
    }

    /// <summary>The items a prompt of target domain <paramref name="domain"/> is scored over: the domain's alone (the prefix
    /// tree's constraint) or every domain's, one after the other: their output vectors transposed [d, N], each column's
    /// domain, and each domain's first column.</summary>
    (Tensor VectorsT, int[] Owner, int[] Offset) Candidates(int domain, bool constrained)
    {
        var domains = constrained ? [domain] : Enumerable.Range(0, items.DomainCount).ToArray();
        var vectors = cat(domains.Select(d => model.ItemVectors(items, d)).ToArray(), 0).t();
        var owner = domains.SelectMany(d => Enumerable.Repeat(d, items.ItemCount(d))).ToArray();
        var offset = new int[items.DomainCount];
        for (int j = 1; j < domains.Length; j++) offset[domains[j]] = offset[domains[j - 1]] + items.ItemCount(domains[j - 1]);
        return (vectors, owner, offset);
    }

    /// <summary>Runs <paramref name="body"/> on consecutive chunks of at most <paramref name="batchUsers"/> of
    /// <paramref name="all"/>, in evaluation mode (restored afterwards), without gradients, each chunk in its own
    /// dispose scope.</summary>
    void InBatches<T>(IReadOnlyList<T> all, int batchUsers, Action<T[]> body)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            foreach (var chunk in all.Chunk(batchUsers))
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                body(chunk);
            }
        }
        finally { if (wasTraining) model.train(); }
    }

    /// <summary>
    /// What the user router does for prompts of target domain <paramref name="domain"/> (the mixture only): its w per
    /// prompt and KL(P_dom ‖ P_univ) over the domain's items, how far the domain pass moves the universal one.
    /// </summary>
    public (float[] Weight, float[] Divergence) Routing(IReadOnlyList<ItemSequence> prompts, int domain, int batchUsers)
    {
        if (Passes != ScoringPasses.Mixture) throw new InvalidOperationException("routing needs both passes (the mixture)");
        var weights = new List<float>(prompts.Count);
        var divergences = new List<float>(prompts.Count);
        InBatches(prompts, batchUsers, chunk =>
        {
            using var batch = ItemBatch.Create(chunk, model.Vocabulary, model.Device);
            var (last, weight) = LastHidden(chunk, batch, domain);
            var logProbs = nn.functional.log_softmax(last.matmul(model.ItemVectors(items, domain).t()), -1);
            int b = chunk.Length;
            var (universal, own) = (logProbs[..b], logProbs[b..]);
            weights.AddRange(weight!.ToHostArray<float>());
            divergences.AddRange((own.exp() * (own - universal)).sum(1).ToHostArray<float>());
        });
        return (weights.ToArray(), divergences.ToArray());
    }

    /// <summary>
    /// The MoE gate of the universal experts (paper §2a) over the real positions of <paramref name="prompts"/> in the
    /// universal pass: per layer, the mean weight of each expert [K] and the mean entropy of the weights (nats).
    /// </summary>
    public (double[][] MeanWeights, double[] MeanEntropy) ExpertGates(IReadOnlyList<ItemSequence> prompts, int batchUsers)
    {
        int layers = model.Backbone.LayerCount, experts = model.Config.NumUniversalExperts;
        var sums = new double[layers][];
        for (int l = 0; l < layers; l++) sums[l] = new double[experts];
        var entropy = new double[layers];
        long positions = 0;
        InBatches(prompts, batchUsers, chunk =>
        {
            using var batch = ItemBatch.Create(chunk, model.Vocabulary, model.Device);
            var real = batch.Valid.flatten().nonzero().squeeze(1);
            model.ItemHidden(batch, AdapterSelection.WithUniversal, (layer, w) =>
            {
                var kept = w.reshape(-1, experts).index_select(0, real);              // [N, K]: real positions only
                var layerEntropy = (-(kept * kept.clamp_min(1e-12).log()).sum(1)).sum();
                // the K weight sums and the entropy in one copy to the host
                var read = cat([kept.sum(dim: 0), layerEntropy.unsqueeze(0)]).ToHostArray<float>();
                for (int k = 0; k < experts; k++) sums[layer][k] += read[k];
                entropy[layer] += read[experts];
            });
            positions += real.shape[0];
        });
        return (sums.Select(row => row.Select(v => v / Math.Max(1, positions)).ToArray()).ToArray(),
            entropy.Select(v => v / Math.Max(1, positions)).ToArray());
    }

    (List<Recommendation>[] Lists, int Generated, int Invalid) DecodeGroup(List<ItemSequence> prompts, int domain, int k, bool constrained)
    {
        using var batch = ItemBatch.Create(prompts, model.Vocabulary, model.Device);
        var (last, weight) = LastHidden(prompts, batch, domain);
        var (vectors, owner, offset) = Candidates(domain, constrained);
        var scores = Scores(last, weight, vectors, prompts.Count);                                             // [B, N]
        int take = Math.Min(k, (int)scores.shape[1]);
        var (values, indices) = scores.topk(take, dim: 1);
        var v = values.ToHostArray<float>();
        var ix = indices.ToHostArray<long>();
        var lists = new List<Recommendation>[prompts.Count];
        int bad = 0;
        for (int u = 0; u < prompts.Count; u++)
        {
            lists[u] = new List<Recommendation>(take);
            for (int r = 0; r < take; r++)
            {
                int column = (int)ix[u * take + r];
                int d = owner[column];
                if (d != domain) { bad++; continue; }
                int item = column - offset[d];
                lists[u].Add(new Recommendation(item, items.Codes(d, item), v[u * take + r]));
            }
        }
        return (lists, prompts.Count * take, bad);
    }

    /// <summary>The last position's hidden state of the selected pass(es): [B, d], or [2B, d] for the mixture
    /// (universal rows, then domain rows) with the router's w [B] on the universal pass. Each pass reads the stage
    /// table's input for it (<see cref="StagePlan.PassInput"/>: the prompts, or their in-domain items).</summary>
    (Tensor Last, Tensor? Weight) LastHidden(IReadOnlyList<ItemSequence> prompts, ItemBatch batch, int domain)
    {
        int b = batch.Count;
        var device = batch.Valid.device;
        Tensor DomainPerRow() => full(b, (long)domain, dtype: int64, device: device);
        if (Passes != ScoringPasses.Mixture)
        {
            var input = StagePlan.PassInput(model.Config, Passes, prompts, domain);
            using var view = ReferenceEquals(input, prompts) ? null : ItemBatch.Create(input, model.Vocabulary, device);
            return (model.ItemHidden(view ?? batch, StagePlan.Adapters(model.Config, Passes, DomainPerRow))[.., -1], null);
        }
        var domainInput = StagePlan.DomainPassInput(model.Config, prompts, domain);
        using var own = ReferenceEquals(domainInput, prompts) ? null : ItemBatch.Create(domainInput, model.Vocabulary, device);
        var (universal, domainHidden) = MixtureHidden(prompts, batch, domainInput, own, domain);
        var weight = model.Router(domain).forward(UserRouter.State(universal, batch.Valid)[.., -1]);
        return (cat([universal[.., -1], domainHidden[.., -1]]), weight);
    }

    /// <summary>The mixture's two passes. With an in-domain input the two batches differ; decoding then stacks them into
    /// one batch and one forward (a third less time per user than two forwards, whose fixed per-op cost dominates at
    /// serving's batch sizes). The universal rows keep their width: an in-domain input is never longer than its prompt.</summary>
    (Tensor Universal, Tensor Domain) MixtureHidden(IReadOnlyList<ItemSequence> prompts, ItemBatch batch,
        IReadOnlyList<ItemSequence> domainInput, ItemBatch? own, int domain)
    {
        if (own is null || !StackMixture) return model.ItemMixtureHidden(batch, own ?? batch, domain);
        using var stacked = ItemBatch.Create([.. prompts, .. domainInput], model.Vocabulary, batch.Valid.device);
        var (universal, domainHidden) = model.StackedMixtureHidden(stacked, domain);
        return (universal.narrow(1, stacked.Width - batch.Width, batch.Width), domainHidden);
    }

    /// <summary>log P over the candidates [B, N]: one pass's log-softmax, or the router's mixture of both passes.</summary>
    Tensor Scores(Tensor last, Tensor? weight, Tensor vectorsT, int b)
    {
        var logProbs = nn.functional.log_softmax(last.matmul(vectorsT), -1);
        if (Passes != ScoringPasses.Mixture) return logProbs;
        var w = weight!.unsqueeze(1);
        return UserRouter.Mix(w, logProbs[..b], logProbs[b..]);
    }
}
