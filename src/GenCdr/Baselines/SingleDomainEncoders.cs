using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// One SASRec encoder per domain over the merged history with the other domains' items masked out (C2DSR's and TriCDR's
/// single-domain sequences): domain d's encoder sees only domain d's items as keys and inputs, so at each of its positions
/// its state summarises the domain's items up to there, and at another domain's position it carries the state of the
/// latest domain-d position (zero before the first one). Keeping the merged positions aligns every domain's state with
/// the cross-domain encoder's, position for position, with no re-indexing.
/// </summary>
public sealed class SingleDomainEncoders : nn.Module
{
    readonly ModuleList<ModuleList<SasRecBlock>> blocks;
    readonly ModuleList<LayerNorm> norms;
    readonly Embedding position_embedding;
    readonly Dropout dropout;
    readonly long[] _firstToken;
    readonly int _hidden;
    readonly double _scale;

    /// <param name="firstToken">per domain its first token, then one past the last (length D + 1)</param>
    public SingleDomainEncoders(SasRecConfig config, IReadOnlyList<long> firstToken) : base(nameof(SingleDomainEncoders))
    {
        _firstToken = firstToken.ToArray();
        _hidden = config.HiddenSize;
        _scale = Math.Sqrt(config.HiddenSize);
        blocks = new ModuleList<ModuleList<SasRecBlock>>(Enumerable.Range(0, Domains)
            .Select(_ => new ModuleList<SasRecBlock>(Enumerable.Range(0, config.Blocks).Select(_ => new SasRecBlock(config)).ToArray())).ToArray());
        norms = new ModuleList<LayerNorm>(Enumerable.Range(0, Domains).Select(_ => nn.LayerNorm(config.HiddenSize, eps: 1e-8)).ToArray());
        position_embedding = nn.Embedding(config.MaxLength, config.HiddenSize);
        dropout = nn.Dropout(config.Dropout);
        RegisterComponents();
    }

    public int Domains => _firstToken.Length - 1;

    /// <summary>Which columns hold an item of domain <paramref name="domain"/>: bool [B, T].</summary>
    public Tensor InDomain(Tensor tokens, int domain) => tokens.ge(_firstToken[domain]) & tokens.lt(_firstToken[domain + 1]);

    /// <summary>Every domain's state [B, T, H], its items' input vectors read from <paramref name="table"/> [1 + items, H].</summary>
    /// <param name="mask">the cross-domain encoder's attention mask [B, 1, T, T] (causal, valid keys, self)</param>
    public IReadOnlyList<Tensor> States(Tensor table, Tensor tokens, Tensor positions, Tensor mask)
    {
        var states = new List<Tensor>();
        long t = tokens.shape[1];
        var self = eye(t, dtype: ScalarType.Bool, device: tokens.device).unsqueeze(0).unsqueeze(0);
        for (int d = 0; d < Domains; d++)
        {
            var inDomain = InDomain(tokens, d);                                                 // [B, T]
            var own = tokens * inDomain;                                                       // other domains → padding
            var x = dropout.forward(table.index_select(0, own.flatten()).view(own.shape[0], t, _hidden) * _scale
                                    + position_embedding.forward(positions)) * inDomain.unsqueeze(-1);
            var ownMask = (mask & inDomain.unsqueeze(1).unsqueeze(1)) | self;                  // keys of this domain only
            foreach (var block in blocks[d]) x = block.forward(x, ownMask) * inDomain.unsqueeze(-1);
            states.Add(CarryForward(norms[d].forward(x), inDomain));
        }
        return states;
    }

    /// <summary>At every column the state of the row's latest in-domain column up to it (zero before the first one).</summary>
    static Tensor CarryForward(Tensor states, Tensor inDomain)
    {
        long t = states.shape[1];
        var columns = arange(t, dtype: ScalarType.Int64, device: states.device).unsqueeze(0).expand(states.shape[0], t);
        var latest = where(inDomain, columns, full_like(columns, -1)).cummax(1).values;       // [B, T], −1: none yet
        var gathered = states.gather(1, latest.clamp_min(0).unsqueeze(-1).expand(-1, -1, states.shape[2]));
        return gathered * latest.ge(0).unsqueeze(-1);
    }

    /// <summary>The history with every item replaced by a uniformly random item of the same domain (padding stays).</summary>
    public Tensor Corrupt(Tensor tokens, Generator generator)
    {
        var corrupted = zeros_like(tokens);
        for (int d = 0; d < Domains; d++)
        {
            var random = randint(_firstToken[d], _firstToken[d + 1], tokens.shape, dtype: ScalarType.Int64, generator: generator, device: tokens.device);
            corrupted = where(InDomain(tokens, d), random, corrupted);
        }
        return corrupted;
    }
}
