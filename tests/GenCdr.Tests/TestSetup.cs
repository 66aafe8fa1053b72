using System.Runtime.CompilerServices;

namespace GenCdr.Tests;

static class TestSetup
{
    /// <summary>xunit runs test classes in parallel on the 2 cores; libtorch's own threads on top of that
    /// oversubscribe the CPU (measured: a small training 25× slower with 2 threads under load than with 1).
    /// So every test process uses one intra-op thread.</summary>
    [ModuleInitializer]
    internal static void OneTorchThread() => TorchSharp.torch.set_num_threads(1);
}
