using System.Text.Json;
using System.Text.Json.Serialization;
using GenCdr.Baselines;
using GenCdr.Data;
using GenCdr.Evaluation;
using GenCdr.Recommender;
using GenCdr.Text;
using GenCdr.Tokenization;
using GenCdr.Training;

namespace GenCdr;

/// <summary>
/// The one configuration of a run (RecBole-style): data, text encoder, tokenizer (paper §1), recommender
/// (paper §2–3), training schedule and evaluation. Every hyper-parameter the paper names is a field of one of
/// the sections, with the paper's value and our CPU default documented beside it. Saved as config.json with
/// every run's artifacts, so a run can be repeated or resumed exactly.
/// </summary>
public sealed record RunConfig
{
    public DataConfig Data { get; init; } = new();
    public TextEncoderConfig Text { get; init; } = new();
    public TokenizerConfig Tokenizer { get; init; } = new();
    public RecommenderConfig Recommender { get; init; } = new();
    public TrainingSchedule Schedule { get; init; } = new();
    public EvaluationOptions Evaluation { get; init; } = new();
    /// <summary>The SASRec baseline that `gencdr run` trains on the same training events and evaluates next to GenCDR.</summary>
    public SasRecConfig SasRec { get; init; } = new();
    /// <summary>Where the GenCDR path runs, its tokenizer and recommender in training, decoding and serving: "cpu" (the
    /// default), "cuda" (the current CUDA device) or "cuda:N". The modules are built on the CPU and moved there, and every
    /// tensor they make follows them (<see cref="Devices"/>). CUDA needs the application to reference the CUDA build of
    /// libtorch instead of TorchSharp-cpu; seeded results are byte-identical across runs on the CPU, and differ from them on
    /// a GPU, whose random streams are its own. The GPU path is untested on these machines (they have no GPU): only the
    /// CPU is run, with a test that fails when a tensor of the path is made on another device than the model's. The
    /// baselines (SASRec and the others) stay on the CPU.</summary>
    public string Device { get; init; } = Devices.Cpu;

    public const string FileName = "config.json";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Reads a configuration strictly (<see cref="StrictJson"/>: an unknown field or a wrong type is an error) and
    /// checks every value's range (<see cref="Validate"/>) before any work starts.</summary>
    public static RunConfig Load(string path)
    {
        if (!File.Exists(path)) throw new GenCdrException($"{path}: configuration file not found");
        var config = StrictJson.Deserialize<RunConfig>(File.ReadAllText(path), path, Json);
        try { config.Validate(); }
        catch (GenCdrException e) { throw new GenCdrException($"{path}: {e.Message}", e); }
        return config;
    }

    /// <summary>Checks every section's values (counts, rates, probabilities, sizes), each violation one clear line.</summary>
    public void Validate()
    {
        if (Devices.TryParse(Device) is null) throw new GenCdrException(Devices.Problem(nameof(Device), Device));
        Tokenizer.Validate();
        Recommender.Validate();
        Schedule.Validate();
        Evaluation.Validate();
        SasRec.Validate();
    }
}
