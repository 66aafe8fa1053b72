using GenCdr.Data;
using System.Text.Json;
using GenCdr.Evaluation;

namespace GenCdr.Benchmark;

/// <summary>
/// results.json of a benchmark run: the measured <see cref="ResultsDocument"/> plus each model's
/// <see cref="ModelRunInfo"/>, the data provenance and the domain mapping to the paper — everything the
/// report was written from, so the report can be checked or re-rendered later.
/// </summary>
public sealed record BenchResultsFile
{
    public ResultsDocument Results { get; init; } = new();
    public IReadOnlyDictionary<string, ModelRunInfo> RunInfo { get; init; } = new Dictionary<string, ModelRunInfo>();
    public string Provenance { get; init; } = "";
    /// <summary>The protocol text the report printed (the input's, or the results document's).</summary>
    public string Protocol { get; init; } = "";
    public IReadOnlyDictionary<string, string> PaperDomains { get; init; } = new Dictionary<string, string>();

    /// <summary>The report input this file was written from (without item latents, which are not stored),
    /// so a saved run's report can be written again.</summary>
    public BenchReportInput ToReportInput() => new()
    {
        Results = Results,
        RunInfo = RunInfo,
        Provenance = Provenance,
        Protocol = string.IsNullOrEmpty(Protocol) ? null : Protocol,
        PaperDomains = PaperDomains,
    };

    static readonly JsonSerializerOptions Json = new(BenchJson.Options) { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Writes the file atomically (<see cref="AtomicFile"/>).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static BenchResultsFile Load(string path)
    {
        if (!File.Exists(path)) throw new GenCdrException($"{path}: benchmark results file not found");
        try
        {
            return JsonSerializer.Deserialize<BenchResultsFile>(File.ReadAllText(path), Json)
                   ?? throw GenCdrException.AtLine(path, 1, "empty benchmark results file");
        }
        catch (JsonException e)
        {
            throw GenCdrException.AtLine(path, (e.LineNumber ?? 0) + 1, $"not a benchmark results file: {e.Message}");
        }
    }
}
