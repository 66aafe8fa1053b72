using System.Text;
using System.Text.Json;
using GenCdr.Data;
using GenCdr.Training;

namespace GenCdr.Benchmark;

/// <summary>
/// The artifacts of one benchmark, in one folder:
/// suite.json · data/ (the prepared data set, shared by every model) · cache/ (text embeddings) ·
/// tokenizations/KEY/ (one trained tokenizer per distinct tokenizer configuration, shared by the variants that
/// use it) · backbones/KEY/ (the backbone stage, shared likewise, see <see cref="BenchBackbone"/>) · models/NAME/ (per model: bench-result.json, and for GenCDR variants and TIGER a full run folder) ·
/// report.md, results.json and the figures. Whatever is already there is reused, so a re-run only does
/// what is missing.
/// </summary>
public sealed class BenchFolder
{
    public const string SuiteFile = "suite.json";
    public const string ModelResultFile = "bench-result.json";

    public string Root { get; }
    public BenchFolder(string root) { Root = Path.GetFullPath(root); }

    public string Suite => Path.Combine(Root, SuiteFile);
    public string Cache => Path.Combine(Root, "cache");
    /// <summary>A run folder rooted at the bench folder, used only for its data/ step.</summary>
    public RunFolder DataRun => new(Root);
    public string Data => DataRun.Data;
    public string Tokenizations => Path.Combine(Root, "tokenizations");
    public string Backbones => Path.Combine(Root, "backbones");
    public string Models => Path.Combine(Root, "models");

    /// <summary>The folder of one model: models/ plus a file-system-safe form of its name
    /// ("GenCDR w/o MoE Gate (Avg.)" → "gencdr-wo-moe-gate-avg").</summary>
    public string ModelFolder(string model) => Path.Combine(Models, Slug(model));
    public string ModelResult(string model) => Path.Combine(ModelFolder(model), ModelResultFile);
    /// <summary>Where a baseline keeps its <see cref="GenCdr.Baselines.TrainerCheckpoint{TEpoch}"/> while it trains
    /// (deleted once its result is saved).</summary>
    public string TrainingCheckpoint(string model) => Path.Combine(ModelFolder(model), "training-checkpoint");

    /// <summary>Claims <paramref name="model"/> for this process until the returned handle is disposed: an exclusive lock on
    /// models/NAME/training.lock (released by the OS if the process dies). A second bench process training the same model
    /// into the same folder would write the same checkpoint files; it is refused with a one-line error instead.</summary>
    public IDisposable ClaimModel(string model)
    {
        Directory.CreateDirectory(ModelFolder(model));
        string path = Path.Combine(ModelFolder(model), "training.lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new GenCdrException($"{path}: another process is training '{model}' into this bench folder; wait for it or stop it");
        }
    }

    /// <summary>Creates the folder and writes suite.json; refuses a folder holding another suite configuration,
    /// whose cached results would not match.</summary>
    public void Begin(BenchSuite suite)
    {
        Directory.CreateDirectory(Root);
        string json = JsonSerializer.Serialize(suite, RunConfig.Json);
        if (File.Exists(Suite))
        {
            string existing = JsonSerializer.Serialize(Load(Suite), RunConfig.Json);
            if (existing != json)
                throw new GenCdrException($"{Suite}: this bench folder holds a different suite configuration; choose another --out");
            return;
        }
        AtomicFile.WriteAllText(Suite, json);
    }

    static BenchSuite Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<BenchSuite>(File.ReadAllText(path), RunConfig.Json)
                   ?? throw GenCdrException.AtLine(path, 1, "empty suite file");
        }
        catch (JsonException e)
        {
            throw GenCdrException.AtLine(path, (e.LineNumber ?? 0) + 1, $"not a bench suite file: {e.Message.Split('.')[0]}");
        }
    }

    public static string Slug(string name)
    {
        var slug = new StringBuilder();
        foreach (char c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (c is ' ' or '-' or '_' && slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        return slug.ToString().Trim('-') is { Length: > 0 } s ? s : "model";
    }
}
