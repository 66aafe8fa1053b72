using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>A linear layer W x + b that can carry several named LoRA adapters (one per domain, paper §1b) and
/// applies the active one: W' x = W x + b + (α/r) B A dropout(x). With no active adapter it is the plain layer.
/// The base weights can be frozen so that only adapters train.</summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear;
    private readonly ModuleDict<LoraAdapter> adapters = new();

    public LoraLinear(long inFeatures, long outFeatures, Generator generator) : base(nameof(LoraLinear))
    {
        linear = SeededInit.Linear(inFeatures, outFeatures, generator);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        RegisterComponents();
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }

    /// <summary>The adapter applied by <see cref="forward"/>, or null for the base layer alone.</summary>
    public string? ActiveAdapter { get; private set; }

    public IEnumerable<string> AdapterNames => adapters.keys();

    /// <summary>The base layer (exposed so tests and callers can inspect or freeze it).</summary>
    public Linear Base => linear;

    public void AddAdapter(string name, int rank, float alpha, float dropout, Generator generator)
    {
        if (name.Contains('.'))
            throw new GenCdrException($"adapter name '{name}' must not contain '.' (it becomes part of parameter names)");
        if (adapters.ContainsKey(name)) throw new GenCdrException($"adapter '{name}' already exists");
        var adapter = new LoraAdapter(InFeatures, OutFeatures, rank, alpha, dropout, generator);
        adapter.train(training);
        adapters.Add(name, adapter);
        // ModuleDict registers its entries once, when its owner calls RegisterComponents; an adapter added later
        // must be registered explicitly or its parameters are invisible to optimisers, state dicts and saving.
        adapters.register_module(name, adapter);
    }

    public LoraAdapter Adapter(string name) =>
        adapters.TryGetValue(name, out var adapter) ? adapter! : throw new GenCdrException($"no adapter named '{name}'");

    public void SetActiveAdapter(string? name)
    {
        if (name is not null && !adapters.ContainsKey(name)) throw new GenCdrException($"no adapter named '{name}'");
        ActiveAdapter = name;
    }

    /// <summary>Freezes (or unfreezes) W and b; adapter parameters are unaffected.</summary>
    public void SetBaseTrainable(bool trainable)
    {
        foreach (var p in linear.parameters()) p.requires_grad = trainable;
    }

    public override Tensor forward(Tensor x)
    {
        var y = linear.forward(x);
        return ActiveAdapter is null ? y : y + adapters[ActiveAdapter].forward(x);
    }
}
