using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// What C2DSR adds to SASRec's network (Cao et al., CIKM 2022), for <see cref="SequenceEncoder.C2dsr"/>:
/// <list type="number">
/// <item>graph-based item representations: the item embeddings propagated over the item graph of the training
/// transitions (<see cref="ItemTransitionGraph"/>), LightGCN-style, E_g = mean(E, ÂE, Â²E), one table from the cross-domain
/// graph (the mixed encoder's input and the output vectors) and one from the single-domain graph (the single-domain
/// encoders' input);</item>
/// <item>single-domain sequence encoders, one per domain, beside the network's own (cross-domain) encoder: each reads the
/// merged history with the other domains' items masked out, so that at every position its state summarises the
/// domain's items up to there (carried forward over the other domains' positions); domain d is scored from the sum of
/// the cross-domain state and domain d's state (§4.3);</item>
/// <item>the contrastive infomax objective (§4.4): a bilinear discriminator tells a single-domain state paired with its own
/// cross-domain state from one paired with the cross-domain state of a corrupted history (every item replaced by a random
/// item of its domain), trained with binary cross-entropy, weight <see cref="SasRecConfig.InfoMaxWeight"/>.</item>
/// </list>
/// The state the network returns is [h_cross ‖ h_domain 0 ‖ … ‖ h_domain D−1] ([B, T, (1 + D)·H]).
/// </summary>
public sealed class C2dsrEncoder : nn.Module
{
    const int PropagationLayers = 2;
    readonly Tensor cross_sources, cross_targets, cross_weights, single_sources, single_targets, single_weights;
    readonly SingleDomainEncoders single;
    readonly Bilinear discriminator;
    readonly int _hidden;
    readonly long _nodes;
    /// <summary>The two graphs as sparse matrices, built from the edge-list buffers on first use on their device (not
    /// module state: the buffers are what is saved).</summary>
    readonly AdjacencyCache _adjacency = new();

    /// <param name="firstToken">per domain its first token, then one past the last (length D + 1)</param>
    public C2dsrEncoder(SasRecConfig config, IReadOnlyList<long> firstToken, ItemTransitionGraph crossDomain, ItemTransitionGraph singleDomain)
        : base(nameof(C2dsrEncoder))
    {
        _hidden = config.HiddenSize;
        _nodes = crossDomain.Nodes;
        (cross_sources, cross_targets, cross_weights) = (tensor(crossDomain.Sources), tensor(crossDomain.Targets), tensor(crossDomain.Weights));
        (single_sources, single_targets, single_weights) = (tensor(singleDomain.Sources), tensor(singleDomain.Targets), tensor(singleDomain.Weights));
        single = new SingleDomainEncoders(config, firstToken);
        discriminator = nn.Bilinear(config.HiddenSize, config.HiddenSize, 1);
        RegisterComponents();
    }

    /// <summary>The cross-domain graph's item table from the base embeddings [1 + items, H] (row 0 stays 0).</summary>
    public Tensor CrossDomainTable(Tensor embeddings) =>
        Smooth(embeddings, Adjacency(ref _adjacency.Cross, cross_sources, cross_targets, cross_weights));

    Tensor SingleDomainTable(Tensor embeddings) =>
        Smooth(embeddings, Adjacency(ref _adjacency.Single, single_sources, single_targets, single_weights));

    /// <summary>The cached sparse matrix of a graph, built again when the module has moved to another device.</summary>
    Tensor Adjacency(ref Tensor? cached, Tensor sources, Tensor targets, Tensor weights)
    {
        if (cached is not null && cached.device_type == weights.device_type && cached.device_index == weights.device_index) return cached;
        cached?.Dispose();
        return cached = ItemTransitionGraph.Adjacency(sources, targets, weights, _nodes).DetachFromDisposeScope();
    }

    static Tensor Smooth(Tensor x, Tensor adjacency)
    {
        var sum = x;
        for (int layer = 0; layer < PropagationLayers; layer++)
        {
            x = ItemTransitionGraph.Propagate(adjacency, x);
            sum = sum + x;
        }
        return sum / (PropagationLayers + 1);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _adjacency.Clear();
        base.Dispose(disposing);
    }

    sealed class AdjacencyCache
    {
        public Tensor? Cross, Single;
        public void Clear()
        {
            Cross?.Dispose(); Single?.Dispose();
            (Cross, Single) = (null, null);
        }
    }

    /// <summary>The full state: the cross-domain encoder's [B, T, H] and every single-domain encoder's (over the
    /// single-domain graph's item table), concatenated.</summary>
    public Tensor WithSingleDomainStates(Tensor cross, Tensor embeddings, Tensor tokens, Tensor positions, Tensor mask) =>
        cat([cross, .. single.States(SingleDomainTable(embeddings), tokens, positions, mask)], -1);

    /// <summary>The state scoring domain <paramref name="domain"/>: the cross-domain part plus the domain's own, [.., H].</summary>
    public Tensor DomainState(Tensor state, int domain) =>
        state.narrow(-1, 0, _hidden) + state.narrow(-1, (1 + domain) * _hidden, _hidden);

    /// <summary>The history with every item replaced by a random item of its domain (the infomax's negatives).</summary>
    public Tensor Corrupt(Tensor tokens, Generator generator) => single.Corrupt(tokens, generator);

    /// <summary>The infomax loss: binary cross-entropy of the discriminator on (single-domain state, own cross-domain
    /// state) as positives and (single-domain state, corrupted history's cross-domain state) as negatives, over every
    /// valid column and domain whose single-domain state exists.</summary>
    public Tensor InfoMaxLoss(Tensor state, Tensor corruptedCross, Tensor valid)
    {
        var cross = state.narrow(-1, 0, _hidden);
        Tensor? sum = null;
        long count = 0;
        for (int d = 0; d < single.Domains; d++)
        {
            var own = state.narrow(-1, (1 + d) * _hidden, _hidden);
            var has = valid & own.abs().sum(-1).gt(0);
            long n = has.sum().item<long>();
            if (n == 0) continue;
            var (s, positive, negative) = (own[has], cross[has], corruptedCross[has]);
            var logits = cat([discriminator.forward(s, positive), discriminator.forward(s, negative)]).squeeze(-1);
            var labels = cat([ones(n, device: s.device), zeros(n, device: s.device)]);
            var part = nn.functional.binary_cross_entropy_with_logits(logits, labels, reduction: nn.Reduction.Sum);
            sum = sum is null ? part : sum + part;
            count += 2 * n;
        }
        return sum is null ? zeros(1, device: state.device).squeeze() : sum / count;
    }
}
