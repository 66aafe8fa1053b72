using System.Text.Json;
using GenCdr.Data;
using GenCdr.Evaluation;

namespace GenCdr.Benchmark;

/// <summary>
/// The finished benchmark of one model, as cached in models/NAME/bench-result.json: its test results, what its
/// run measured, and its note for the report. A re-run finds it and neither trains nor evaluates the model again.
/// </summary>
public sealed record BenchModelRecord
{
    public required string Model { get; init; }
    public required EvaluationResult Test { get; init; }
    public ModelRunInfo RunInfo { get; init; } = new();
    public string? Note { get; init; }
    /// <summary>Resident memory (MB) when the model started, for reading <see cref="ModelRunInfo.PeakMemoryMb"/>.</summary>
    public double ResidentMbBefore { get; init; }
    /// <summary>Whether the peak is this model's own (the kernel's high-water mark was reset before it).</summary>
    public bool PeakIsPerModel { get; init; }

    static readonly JsonSerializerOptions Json = BenchJson.Options;

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }

    /// <summary>The record at path, or null if there is none.</summary>
    public static BenchModelRecord? TryLoad(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<BenchModelRecord>(File.ReadAllText(path), Json)
                   ?? throw GenCdrException.AtLine(path, 1, "empty model result");
        }
        catch (JsonException e)
        {
            throw GenCdrException.AtLine(path, (e.LineNumber ?? 0) + 1, $"unreadable model result ({e.Message.Split('.')[0]}); delete it to run the model again");
        }
    }
}
