namespace GenCdr.Cli.Commands;

static class Threads
{
    /// <summary>TorchSharp's intra-op threads: the configured number, or every core.</summary>
    public static void Apply(int configured) =>
        TorchSharp.torch.set_num_threads(configured > 0 ? configured : Environment.ProcessorCount);
}
