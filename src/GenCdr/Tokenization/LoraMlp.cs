using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>A ReLU MLP whose layers are <see cref="LoraLinear"/>, so per-domain adapters can be attached to every
/// layer at once (paper §1b: "LoRA on the encoder's linear layers"). No activation after the last layer.</summary>
public abstract class LoraMlp : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<LoraLinear> layers = new();
    private readonly List<string> _adapters = [];
    private int? _active;

    /// <param name="loraDropout">dropout on the adapters' input (paper: 0.05)</param>
    protected LoraMlp(string name, IReadOnlyList<int> widths, Generator generator, double loraDropout = 0) : base(name)
    {
        if (widths.Count < 2) throw new ArgumentException("an MLP needs at least an input and an output width");
        for (int i = 0; i + 1 < widths.Count; i++) layers.Add(new LoraLinear(widths[i], widths[i + 1], bias: true, loraDropout, generator));
        RegisterComponents();
    }

    public IReadOnlyList<LoraLinear> Layers => layers.ToList();

    /// <summary>The adapters' names (domains), in the order they were added.</summary>
    public IReadOnlyList<string> AdapterNames => _adapters;

    /// <summary>Adds an adapter named <paramref name="name"/> (a domain) to every layer.</summary>
    public void AddAdapter(string name, int rank, double alpha)
    {
        if (_adapters.Contains(name)) throw new GenCdrException($"adapter '{name}' already exists");
        foreach (var layer in layers) layer.AddDomainAdapter(rank, alpha);
        _adapters.Add(name);
    }

    /// <summary>Selects the adapter every layer applies (null: the universal, un-adapted network).</summary>
    public void SetActiveAdapter(string? name) => _active = name is null ? null : IndexOf(name);

    public string? ActiveAdapter => _active is { } a ? _adapters[a] : null;

    /// <summary>Freezes (or unfreezes) every layer's W and b; adapter parameters are unaffected.</summary>
    public void SetBaseTrainable(bool trainable)
    {
        foreach (var p in layers.SelectMany(l => l.BaseParameters())) p.requires_grad = trainable;
    }

    /// <summary>The parameters of the adapter <paramref name="name"/> in every layer.</summary>
    public IEnumerable<Parameter> AdapterParameters(string name)
    {
        int index = IndexOf(name);
        return layers.SelectMany(l => l.DomainParameters(index));
    }

    /// <summary>The parameters of every adapter.</summary>
    public IEnumerable<Parameter> AllAdapterParameters() => _adapters.SelectMany(AdapterParameters);

    int IndexOf(string name)
    {
        int index = _adapters.IndexOf(name);
        return index >= 0 ? index : throw new GenCdrException($"no adapter named '{name}'");
    }

    public override Tensor forward(Tensor x)
    {
        var selection = _active is { } a ? AdapterSelection.WithDomains(full(x.shape[0], (long)a, dtype: int64, device: x.device), universal: false)
            : AdapterSelection.BackboneOnly;
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].Forward(x, selection, null);
            if (i + 1 < layers.Count) x = nn.functional.relu(x);
        }
        return x;
    }
}
