using System.Text.Json;
using System.Text.Json.Serialization;

namespace GenCdr.Benchmark;

/// <summary>
/// The JSON settings of every file the bench writes for a model (bench-result.json, training-report.json, results.json).
/// A diverged epoch has a NaN loss, written as "NaN" and read back as NaN: without this, a model whose training went
/// NaN for a few epochs before early stopping restored its best weights lost its whole run when its report was written.
/// </summary>
static class BenchJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
