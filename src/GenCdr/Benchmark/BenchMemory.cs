using System.Diagnostics;

namespace GenCdr.Benchmark;

/// <summary>
/// Peak resident memory per model. The kernel's high-water mark VmHWM (/proc/self/status) covers native
/// (libtorch, ONNX Runtime) and managed memory alike, but is per process; writing "5" to /proc/self/clear_refs
/// resets it to the current RSS (Linux ≥ 4.0), so the peak read after a model is that model's peak. It still
/// includes everything the process held before (runtime, data set), which <see cref="ResidentMb"/> shows.
/// Elsewhere the process's <see cref="Process.PeakWorkingSet64"/> is used, which cannot be reset.
/// </summary>
public sealed class BenchMemory
{
    const string Status = "/proc/self/status", ClearRefs = "/proc/self/clear_refs";

    /// <summary>True if the peak was reset, i.e. <see cref="PeakMb"/> is this model's peak.</summary>
    public bool PeakIsPerModel { get; }

    BenchMemory(bool reset) { PeakIsPerModel = reset; }

    /// <summary>Resets the high-water mark (where possible) and starts a measurement.</summary>
    public static BenchMemory Start()
    {
        try
        {
            File.WriteAllText(ClearRefs, "5");
            return new BenchMemory(File.Exists(Status));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new BenchMemory(false);
        }
    }

    /// <summary>Peak resident memory (MB) since <see cref="Start"/> (or of the process, see <see cref="PeakIsPerModel"/>).</summary>
    public double PeakMb() => StatusKb("VmHWM:") is long kb ? kb / 1024.0 : Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;

    /// <summary>Current resident memory (MB).</summary>
    public static double ResidentMb() => StatusKb("VmRSS:") is long kb ? kb / 1024.0 : Environment.WorkingSet / 1048576.0;

    static long? StatusKb(string field)
    {
        if (!File.Exists(Status)) return null;
        foreach (var line in File.ReadLines(Status))
            if (line.StartsWith(field, StringComparison.Ordinal)
                && long.TryParse(line[field.Length..].Trim().Split(' ')[0], out long kb))
                return kb;
        return null;
    }
}
