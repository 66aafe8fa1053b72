using System.Runtime.CompilerServices;

// TorchSharp has one global random generator; test classes running in parallel would interleave their draws
// and make seeded results depend on timing. Deterministic tests matter more than the 2× of two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace GenCdr.Tests;

static class TestSetup
{
    /// <summary>libtorch's OpenMP threads spin-wait; on a shared 2-core machine two of them made a small training
    /// up to 25× slower than one (docs/platform.md). Tests use tiny tensors, so one intra-op thread loses little
    /// and keeps their timing independent of what else the machine runs.</summary>
    [ModuleInitializer]
    internal static void OneTorchThread() => TorchSharp.torch.set_num_threads(1);
}
