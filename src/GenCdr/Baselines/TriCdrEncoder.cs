using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// What TriCDR adds to SASRec's network (Ma et al., "Triple Sequence Learning for Cross-domain Recommendation", ACM TOIS
/// 2024), for <see cref="SequenceEncoder.TriCdr"/>: every user has three sequences, the target domain's, the source
/// domains' and the mixed one, each with its own encoder (the network's encoder reads the mixed history; the single-domain
/// encoders of <see cref="SingleDomainEncoders"/> give each domain's sequence, and the source sequence of target d is the
/// other domains' states summed);
/// <list type="number">
/// <item>triple cross-domain attention (fine-grained): the target sequence's states attend, causally, to the mixed
/// sequence's states and to the source sequence's, and both attended vectors are added to the target state:
/// f_d = LayerNorm(h_d + CA_mix(h_d, h_mix) + CA_src(h_d, h_src)); domain d is scored from f_d;</item>
/// <item>triple contrastive learning (coarse-grained): InfoNCE over the users of a batch between the three sequences'
/// representations at the latest position, pairs (target, mixed), (target, source) and (source, mixed), each user's own
/// the positive and the other users' the negatives, temperature <see cref="SasRecConfig.ContrastTemperature"/>, weight
/// <see cref="SasRecConfig.TripleContrastWeight"/>.</item>
/// </list>
/// Choices the paper's description leaves open, and ours: the encoders are SASRec's blocks; a target domain's "source"
/// with more than two domains is the sum of the other domains' states; one cross-attention module per kind (mixed,
/// source) shared by all target domains; the contrast is taken at each training window's latest position only.
/// The state the network returns is [h_mix ‖ f_0 … f_{D−1} ‖ h_0 … h_{D−1}] ([B, T, (1 + 2D)·H]).
/// </summary>
public sealed class TriCdrEncoder : nn.Module
{
    readonly SingleDomainEncoders single;
    readonly CrossAttention to_mixed, to_source;
    readonly LayerNorm fused_norm;
    readonly int _hidden;
    readonly double _temperature;

    /// <param name="firstToken">per domain its first token, then one past the last (length D + 1)</param>
    public TriCdrEncoder(SasRecConfig config, IReadOnlyList<long> firstToken) : base(nameof(TriCdrEncoder))
    {
        _hidden = config.HiddenSize;
        _temperature = config.ContrastTemperature;
        single = new SingleDomainEncoders(config, firstToken);
        to_mixed = new CrossAttention(config);
        to_source = new CrossAttention(config);
        fused_norm = nn.LayerNorm(config.HiddenSize, eps: 1e-8);
        RegisterComponents();
    }

    int Domains => single.Domains;

    /// <summary>The full state from the mixed encoder's [B, T, H] and the item table [1 + items, H].</summary>
    /// <param name="mask">the mixed encoder's attention mask [B, 1, T, T] (causal, valid keys, self)</param>
    public Tensor WithTripleStates(Tensor mixed, Tensor table, Tensor tokens, Tensor positions, Tensor mask)
    {
        var own = single.States(table, tokens, positions, mask);
        var total = own.Aggregate((a, b) => a + b);
        var fused = Enumerable.Range(0, Domains).Select(d =>
            fused_norm.forward(own[d] + to_mixed.forward(own[d], mixed, mask) + to_source.forward(own[d], total - own[d], mask)));
        return cat([mixed, .. fused, .. own], -1);
    }

    /// <summary>f_d, the state scoring domain <paramref name="domain"/>: [.., H].</summary>
    public Tensor DomainState(Tensor state, int domain) => state.narrow(-1, (1 + domain) * _hidden, _hidden);

    /// <summary>The triple contrastive loss at each row's latest position, averaged over the domains whose target and
    /// source states exist in at least two rows.</summary>
    public Tensor TripleContrastLoss(Tensor state)
    {
        var last = state.select(1, -1);                                                        // [B, (1 + 2D)·H]
        var mixed = last.narrow(-1, 0, _hidden);
        Tensor Own(int d) => last.narrow(-1, (1 + Domains + d) * _hidden, _hidden);
        var total = Enumerable.Range(0, Domains).Select(Own).Aggregate((a, b) => a + b);
        Tensor? sum = null;
        int terms = 0;
        for (int d = 0; d < Domains; d++)
        {
            var (target, source) = (Own(d), total - Own(d));
            var rows = target.abs().sum(-1).gt(0) & source.abs().sum(-1).gt(0);
            if (rows.sum().item<long>() < 2) continue;
            var (t, s, m) = (target[rows], source[rows], mixed[rows]);
            var part = (InfoNce(t, m) + InfoNce(t, s) + InfoNce(s, m)) / 3;
            sum = sum is null ? part : sum + part;
            terms++;
        }
        return sum is null ? zeros(1, device: state.device).squeeze() : sum / terms;
    }

    /// <summary>InfoNCE of rows a against rows b [N, H]: cross-entropy of cos(a_i, b_j)/τ with row i's own b as the class.</summary>
    Tensor InfoNce(Tensor a, Tensor b)
    {
        var logits = nn.functional.normalize(a, dim: -1).matmul(nn.functional.normalize(b, dim: -1).t()) / _temperature;
        return nn.functional.cross_entropy(logits, arange(a.shape[0], dtype: ScalarType.Int64, device: a.device));
    }

    /// <summary>Multi-head attention of queries from one sequence over keys and values of another, position-aligned, under
    /// a causal mask; the output projected back to H.</summary>
    sealed class CrossAttention : nn.Module<Tensor, Tensor, Tensor, Tensor>
    {
        readonly Linear query, key, value, output;
        readonly int _heads, _headDim;
        readonly double _dropout;

        public CrossAttention(SasRecConfig config) : base(nameof(CrossAttention))
        {
            int h = config.HiddenSize;
            (_heads, _headDim, _dropout) = (config.Heads, h / config.Heads, config.Dropout);
            (query, key, value, output) = (nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h));
            RegisterComponents();
        }

        public override Tensor forward(Tensor queries, Tensor keys, Tensor mask)
        {
            long b = queries.shape[0], t = queries.shape[1];
            Tensor Heads(Linear projection, Tensor x) => projection.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);
            var attended = nn.functional.scaled_dot_product_attention(Heads(query, queries), Heads(key, keys), Heads(value, keys),
                attn_mask: mask, p: training ? _dropout : 0.0);
            return output.forward(attended.transpose(1, 2).reshape(b, t, _heads * _headDim));
        }
    }
}
