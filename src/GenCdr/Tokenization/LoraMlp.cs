using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenCdr.Tokenization;

/// <summary>A ReLU MLP whose layers are <see cref="LoraLinear"/>, so per-domain adapters can be attached to every
/// layer at once (paper §1b: "LoRA on the encoder's linear layers"). No activation after the last layer.</summary>
public abstract class LoraMlp : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<LoraLinear> layers = new();

    protected LoraMlp(string name, IReadOnlyList<int> widths, Generator generator) : base(name)
    {
        if (widths.Count < 2) throw new ArgumentException("an MLP needs at least an input and an output width");
        for (int i = 0; i + 1 < widths.Count; i++) layers.Add(new LoraLinear(widths[i], widths[i + 1], generator));
        RegisterComponents();
    }

    public IReadOnlyList<LoraLinear> Layers => layers.ToList();

    /// <summary>Adds an adapter named <paramref name="name"/> to every layer.</summary>
    public void AddAdapter(string name, int rank, float alpha, float dropout, Generator generator)
    {
        foreach (var layer in layers) layer.AddAdapter(name, rank, alpha, dropout, generator);
    }

    /// <summary>Selects the adapter every layer applies (null: the universal, un-adapted network).</summary>
    public void SetActiveAdapter(string? name)
    {
        foreach (var layer in layers) layer.SetActiveAdapter(name);
    }

    public string? ActiveAdapter => layers[0].ActiveAdapter;

    public void SetBaseTrainable(bool trainable)
    {
        foreach (var layer in layers) layer.SetBaseTrainable(trainable);
    }

    /// <summary>The parameters of the adapter <paramref name="name"/> in every layer.</summary>
    public IEnumerable<Parameter> AdapterParameters(string name) => layers.SelectMany(l => l.Adapter(name).parameters());

    public override Tensor forward(Tensor x)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].forward(x);
            if (i + 1 < layers.Count) x = nn.functional.relu(x);
        }
        return x;
    }
}
