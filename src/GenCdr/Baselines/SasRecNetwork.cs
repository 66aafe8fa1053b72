using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Baselines;

/// <summary>
/// The SASRec network: item embedding (shared with the output layer, paper Eq. 8) plus a learned position
/// embedding, a stack of <see cref="SasRecBlock"/>s, and a final layer norm. Item ids of all domains live in
/// one table: token = 1 + offset(domain) + item, token 0 is padding. Scores for domain d are the dot
/// products of a hidden state with that domain's rows only, so every softmax is over one domain's items.
/// With <see cref="SequenceEncoder.Hstu"/> the blocks are HSTU's (<see cref="HstuBlock"/>, with the relative position
/// and time bias of <see cref="HstuRelativeBias"/>) and the scores are cosines over a temperature, as in HSTU's code.
/// With <see cref="SequenceEncoder.Stosa"/> every item and position is a Gaussian (<see cref="StosaEncoder"/>) and the
/// scores are negative squared Wasserstein distances. With <see cref="SequenceEncoder.C2dsr"/> and
/// <see cref="SequenceEncoder.TriCdr"/> this network's encoder reads the merged history and single-domain encoders run
/// beside it (<see cref="C2dsrEncoder"/>, <see cref="TriCdrEncoder"/>); their states are concatenated.
/// </summary>
public sealed class SasRecNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    readonly Embedding? item_embedding;
    readonly TextItemAdapter? text_items;
    readonly TextCodeItemVectors? text_codes;
    readonly Embedding position_embedding;
    readonly ModuleList<SasRecBlock>? blocks;
    readonly ModuleList<HstuBlock>? hstu_blocks;
    readonly HstuRelativeBias? relative_bias;
    readonly StosaEncoder? stosa;
    readonly C2dsrEncoder? c2dsr;
    readonly TriCdrEncoder? tricdr;
    readonly LayerNorm final_norm;
    readonly Dropout dropout;
    readonly int[] _offsets, _counts;
    readonly double _scale;

    public SasRecConfig Config { get; }

    /// <param name="itemText">the items' text embeddings [domain][item][dimension], needed (and only read) by the text
    /// modes of <see cref="SasRecConfig.ItemVectors"/></param>
    /// <param name="graphs">C2DSR's item graphs of the training transitions (cross-domain, single-domain), needed (and only
    /// read) by <see cref="SequenceEncoder.C2dsr"/></param>
    public SasRecNetwork(SasRecConfig config, IReadOnlyList<int> itemCounts, IReadOnlyList<IReadOnlyList<float[]>>? itemText = null,
        (ItemTransitionGraph CrossDomain, ItemTransitionGraph SingleDomain)? graphs = null)
        : base(nameof(SasRecNetwork))
    {
        config.Validate();
        Config = config;
        _counts = itemCounts.ToArray();
        _offsets = new int[_counts.Length];
        for (int d = 1; d < _counts.Length; d++) _offsets[d] = _offsets[d - 1] + _counts[d - 1];
        int tokens = 1 + _counts.Sum();
        if (config.ItemVectors != ItemVectorSource.Id &&
            (itemText is null || itemText.Count != _counts.Length || itemText.Where((d, i) => d.Count != _counts[i]).Any()))
            throw new GenCdrException($"SASRec: ItemVectors {config.ItemVectors} needs one text embedding per item of every domain");
        switch (config.ItemVectors)
        {
            case ItemVectorSource.TextAdapter: text_items = new TextItemAdapter(itemText!, config.HiddenSize, config.Dropout); break;
            case ItemVectorSource.TextCodes:
                text_codes = new TextCodeItemVectors(itemText!, config.HiddenSize, config.CodeSubvectors, config.CodeCentroids, config.Seed);
                break;
            default: item_embedding = nn.Embedding(tokens, config.HiddenSize, padding_idx: 0); break;
        }
        position_embedding = nn.Embedding(config.MaxLength, config.HiddenSize);
        if (config.Encoder == SequenceEncoder.Hstu)
        {
            hstu_blocks = new ModuleList<HstuBlock>(Enumerable.Range(0, config.Blocks).Select(_ => new HstuBlock(config)).ToArray());
            relative_bias = new HstuRelativeBias(config.MaxLength);
        }
        else if (config.Encoder == SequenceEncoder.Stosa) stosa = new StosaEncoder(config, tokens);
        else blocks = new ModuleList<SasRecBlock>(Enumerable.Range(0, config.Blocks).Select(_ => new SasRecBlock(config)).ToArray());
        // domain d's tokens are 1 + offset(d) … 1 + offset(d + 1) − 1
        var firstToken = Enumerable.Range(0, _counts.Length).Select(d => 1L + _offsets[d]).Append(tokens).ToArray();
        if (config.Encoder == SequenceEncoder.C2dsr)
        {
            var (cross, single) = graphs ?? throw new GenCdrException("SASRec: the C2dsr encoder needs the item graphs of the training transitions");
            if (cross.Nodes != tokens || single.Nodes != tokens) throw new GenCdrException($"SASRec: the item graphs have {cross.Nodes} nodes, the network {tokens} tokens");
            c2dsr = new C2dsrEncoder(config, firstToken, cross, single);
        }
        if (config.Encoder == SequenceEncoder.TriCdr) tricdr = new TriCdrEncoder(config, firstToken);
        final_norm = nn.LayerNorm(config.HiddenSize, eps: 1e-8);
        dropout = nn.Dropout(config.Dropout);
        _scale = Math.Sqrt(config.HiddenSize);
        // Item vectors of norm ≈ 1: the input (× √H) then matches the position embedding's scale, and the
        // output logits (layer-normed state · item vector) start with a standard deviation near 1. With
        // TorchSharp's N(0, 1) default the first logits have a spread of ≈ 8 and training starts far off.
        if (item_embedding is not null)
            using (no_grad())
            {
                nn.init.normal_(item_embedding.weight!, 0, 1 / Math.Sqrt(config.HiddenSize));
                item_embedding.weight![0].zero_();
            }
        RegisterComponents();
    }

    public int DomainCount => _counts.Length;
    public int ItemCount(int domain) => _counts[domain];
    public long Token(int domain, int item) => 1L + _offsets[domain] + item;

    /// <summary>Hidden states without event times (SASRec's encoder does not read them; HSTU's time bias then sees
    /// gaps of 0).</summary>
    public override Tensor forward(Tensor tokens, Tensor positions) => Hidden(tokens, positions, zeros_like(tokens));

    /// <param name="tokens">int64 [B, T], left-padded with 0</param>
    /// <param name="positions">int64 [B, T], position-embedding index of each column</param>
    /// <param name="timestamps">int64 [B, T], each column's event time in seconds (read by HSTU's time bias only)</param>
    /// <returns>hidden states [B, T, H] (STOSA: 2H; C2DSR: (1 + D)·H; TriCDR: (1 + 2D)·H, see their encoders); row b,
    /// column t summarises tokens[b, ..t]</returns>
    public Tensor Hidden(Tensor tokens, Tensor positions, Tensor timestamps)
    {
        var (hidden, mask) = CrossDomainHidden(tokens, positions, timestamps);
        // C2DSR and TriCDR: beside this (cross-domain) encoder's state, every domain's single-domain state (TriCDR: and fused)
        return c2dsr?.WithSingleDomainStates(hidden, item_embedding!.weight!, tokens, positions, mask)
            ?? tricdr?.WithTripleStates(hidden, item_embedding!.weight!, tokens, positions, mask) ?? hidden;
    }

    /// <summary>The network's own encoder (SASRec's, HSTU's or STOSA's) and the attention mask it used [B, 1, T, T].</summary>
    (Tensor Hidden, Tensor Mask) CrossDomainHidden(Tensor tokens, Tensor positions, Tensor timestamps)
    {
        long t = tokens.shape[1];
        var valid = tokens.ne(0);                                                          // [B, T]
        var inputs = c2dsr is null ? ItemVectors(tokens) : GraphItemVectors().index_select(0, tokens.flatten()).view([.. tokens.shape, Config.HiddenSize]);
        var x = inputs * _scale + position_embedding.forward(positions);
        x = dropout.forward(x) * valid.unsqueeze(-1);
        // Causal, and padded keys are hidden; every position may see itself so that no softmax row is empty.
        var causal = ones(t, t, dtype: ScalarType.Bool, device: tokens.device).tril();
        var self = eye(t, dtype: ScalarType.Bool, device: tokens.device);
        var mask = (causal.unsqueeze(0) & valid.unsqueeze(1)) | self.unsqueeze(0);        // [B, T, T]
        mask = mask.unsqueeze(1);
        if (hstu_blocks is not null)
        {
            var bias = relative_bias!.forward(timestamps);
            foreach (var block in hstu_blocks)
                x = block.forward(x, mask, bias) * valid.unsqueeze(-1);
            return (x, mask); // HSTU has no final norm: its read-out L2-normalises the state (DomainScores)
        }
        if (stosa is not null) return (stosa.Hidden(x, tokens, positions, mask), mask); // [μ ‖ Σ^½], read out by −W₂² (DomainScores)
        foreach (var block in blocks!)
            x = block.forward(x, mask) * valid.unsqueeze(-1);
        return (final_norm.forward(x), mask);
    }

    /// <summary>C2DSR only: every item's vector propagated over the cross-domain item graph [1 + items, H]; inside
    /// <see cref="ShareGraphTable"/> computed once.</summary>
    Tensor GraphItemVectors() => _sharedTable is { } shared
        ? shared.Table ??= c2dsr!.CrossDomainTable(item_embedding!.weight!)
        : c2dsr!.CrossDomainTable(item_embedding!.weight!);

    SharedGraphTable? _sharedTable;

    /// <summary>Until the result is disposed, C2DSR's cross-domain graph table is computed once and read by every use: the
    /// input, the corrupted input of the infomax term and each domain's scores of one training step or one scoring call
    /// (it depends on the weights only, which do not change within either). The table belongs to the caller's dispose
    /// scope. A no-op for the other encoders.</summary>
    public IDisposable ShareGraphTable() => _sharedTable = new SharedGraphTable(this);

    sealed class SharedGraphTable(SasRecNetwork network) : IDisposable
    {
        public Tensor? Table;
        public void Dispose() => network._sharedTable = null;
    }

    /// <summary>The contrastive term of a batch and its states from <see cref="Hidden"/>, unweighted: C2DSR's infomax loss,
    /// TriCDR's triple contrastive loss, 0 for the other encoders.</summary>
    public Tensor ContrastiveLoss(Tensor tokens, Tensor positions, Tensor hidden, Generator generator)
    {
        if (tricdr is not null) return tricdr.TripleContrastLoss(hidden);
        if (c2dsr is null) return zeros(1).squeeze();
        var (corrupted, _) = CrossDomainHidden(c2dsr.Corrupt(tokens, generator), positions, zeros_like(tokens));
        return c2dsr.InfoMaxLoss(hidden, corrupted, tokens.ne(0));
    }

    /// <summary>The weight of <see cref="ContrastiveLoss"/> in the training loss.</summary>
    public double ContrastiveWeight => c2dsr is not null ? Config.InfoMaxWeight : tricdr is not null ? Config.TripleContrastWeight : 0;

    /// <summary>The output vectors of the given item tokens (the shared item embedding, paper Eq. 8): [.., H].</summary>
    public Tensor ItemVectors(Tensor tokens) => item_embedding?.forward(tokens) ?? text_items?.Of(tokens) ?? text_codes!.Of(tokens);

    /// <summary>The vectors of one domain's items, in item order: [items of the domain, H].</summary>
    public Tensor DomainItemVectors(int domain)
    {
        long first = 1 + _offsets[domain], count = _counts[domain];
        return item_embedding?.weight!.narrow(0, first, count) ?? text_items?.Range(first, count) ?? text_codes!.Range(first, count);
    }

    /// <summary>STOSA only: the Gaussians [μ ‖ Σ^½] of the given item tokens [N] → [N, 2H] (<see cref="StosaEncoder"/>).</summary>
    public Tensor ItemGaussians(Tensor tokens) => (stosa ?? throw new InvalidOperationException("item Gaussians need the Stosa encoder"))
        .ItemGaussians(ItemVectors(tokens), tokens);

    /// <summary>Scores of every item of a domain: hidden [N, H] → [N, items of the domain].</summary>
    public Tensor DomainScores(Tensor hidden, int domain)
    {
        if (c2dsr is not null)
            return c2dsr.DomainState(hidden, domain).matmul(GraphItemVectors().narrow(0, 1 + _offsets[domain], _counts[domain]).t());
        if (tricdr is not null) return tricdr.DomainState(hidden, domain).matmul(DomainItemVectors(domain).t());
        var items = DomainItemVectors(domain);
        if (stosa is not null)
            return StosaEncoder.Scores(hidden, stosa.ItemGaussians(items, arange(1L + _offsets[domain], 1L + _offsets[domain] + _counts[domain], dtype: ScalarType.Int64, device: hidden.device)));
        if (Config.Encoder != SequenceEncoder.Hstu) return hidden.matmul(items.t());
        return nn.functional.normalize(hidden, dim: -1).matmul(nn.functional.normalize(items, dim: -1).t()) / Config.Temperature;
    }
}
