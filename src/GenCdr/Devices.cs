using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr;

/// <summary>
/// The device the GenCDR path runs on (<see cref="RunConfig.Device"/>), in one place: the names a configuration accepts,
/// the device of a module, random streams on a device and reads back to the host. Modules are built on the CPU (so their
/// seeded initialisation is the CPU's on every device) and moved with <c>module.to(device)</c> where the pipeline builds
/// them; every tensor made after that is made on the device of an input tensor or of the module's parameters.
/// </summary>
public static class Devices
{
    public const string Cpu = "cpu";

    /// <summary>The device <paramref name="name"/> names: "cpu", "cuda" (the current CUDA device) or "cuda:N" (N ≥ 0);
    /// null for anything else. Only the syntax is checked: a configuration is read on machines without a GPU too.</summary>
    public static Device? TryParse(string? name)
    {
        if (name == Cpu) return CPU;
        if (name == "cuda") return new Device(DeviceType.CUDA);
        if (name is not null && name.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
            return new Device(DeviceType.CUDA, index);
        return null;
    }

    /// <summary>The device a configuration names, ready to move modules to: a clear error when the name is not one of
    /// <see cref="TryParse"/>'s, or names CUDA where this process cannot use it.</summary>
    public static Device Require(string? name)
    {
        var device = TryParse(name) ?? throw new GenCdrException(Problem("Device", name));
        if (device.type == DeviceType.CUDA && !cuda.is_available())
            throw new GenCdrException($"Device '{name}': CUDA is not available to this process (the application references " +
                                      "TorchSharp-cpu, or the machine has no usable GPU); use \"cpu\"");
        return device;
    }

    /// <summary>Why <paramref name="name"/>, the value of <paramref name="field"/>, is not a device name.</summary>
    public static string Problem(string field, string? name) =>
        $"{field} must be \"cpu\", \"cuda\" or \"cuda:N\" with N ≥ 0 (got {(name is null ? "null" : $"\"{name}\"")})";

    /// <summary>The device of a module's parameters (the CPU for a module without any).</summary>
    public static Device Of(nn.Module module) => module.parameters().FirstOrDefault()?.device ?? CPU;

    /// <summary>The values of a tensor on the host, in one copy from its device (<c>data&lt;T&gt;()</c> reads CPU memory only).</summary>
    public static T[] ToHostArray<T>(this Tensor tensor) where T : unmanaged
    {
        using var host = tensor.cpu();
        return host.data<T>().ToArray();
    }

    /// <summary>Scalar tensors of one device (a null stands for 0) as doubles, read to the host in one copy rather than one
    /// synchronisation each: a training step's losses and counts. Exact for float32 values and for counts below 2⁵³.</summary>
    public static double[] ToHostScalars(params Tensor?[] scalars)
    {
        using var scope = NewDisposeScope();
        var device = scalars.First(s => s is not null)!.device;
        return stack(scalars.Select(s => s?.detach().to_type(float64) ?? tensor(0.0, float64, device)).ToArray()).ToHostArray<double>();
    }

    /// <summary>The device generators of each CPU generator, made on first use (<see cref="On"/>).</summary>
    static readonly ConditionalWeakTable<Generator, List<Generator>> DeviceGenerators = new();

    /// <summary>
    /// The random stream of <paramref name="generator"/> on <paramref name="device"/>. A module draws its seeded
    /// initialisation from a CPU generator when it is built and keeps it; after the module moved, its forward draws on the
    /// device, which needs a generator of that device (libtorch refuses a CPU generator for a CUDA tensor). On the
    /// generator's own device this is the generator itself, so CPU results stay byte-identical; elsewhere it is one
    /// generator per (generator, device), seeded with the generator's initial seed when first asked for, so that modules
    /// that share a stream on the CPU (the tokenizer's) share one on the device too. A device's numbers differ from the
    /// CPU's for the same seed, but are as reproducible.
    /// </summary>
    public static Generator On(this Generator generator, Device device)
    {
        if (Same(generator.device, device)) return generator;
        lock (DeviceGenerators)
        {
            var onDevices = DeviceGenerators.GetOrCreateValue(generator);
            var found = onDevices.FirstOrDefault(g => Same(g.device, device));
            if (found is not null) return found;
            var made = new Generator((ulong)generator.initial_seed(), device);
            onDevices.Add(made);
            return made;
        }
    }

    /// <summary>Restarts the stream of <paramref name="generator"/> from <paramref name="seed"/> on every device (<see cref="On"/>).</summary>
    public static void Reseed(Generator generator, long seed)
    {
        generator.manual_seed(seed);
        lock (DeviceGenerators)
            if (DeviceGenerators.TryGetValue(generator, out var onDevices))
                foreach (var g in onDevices) g.manual_seed(seed);
    }

    /// <summary>Whether two devices are one: the CPU has no index, and CUDA's −1 ("cuda", the current device) is device 0,
    /// the one a single-GPU process uses.</summary>
    public static bool Same(Device a, Device b) =>
        a.type == b.type && (a.type != DeviceType.CUDA || Math.Max(a.index, 0) == Math.Max(b.index, 0));
}
