using GenCdr.Data;
using GenCdr.Training;

namespace GenCdr.Benchmark;

/// <summary>What every <see cref="IBenchModel"/> trains with: the prepared data set, the suite, the bench
/// folder (for caches), and the observer that reports progress and counts the trainings actually run.</summary>
public sealed class BenchContext(PreparedDataset data, BenchSuite suite, BenchFolder folder, BenchObserver? observer = null)
{
    public PreparedDataset Data { get; } = data;
    public BenchSuite Suite { get; } = suite;
    public BenchFolder Folder { get; } = folder;
    public BenchObserver Observer { get; } = observer ?? new BenchObserver();

    public void Log(string line) => Observer.Pipeline?.Log?.Invoke(line);

    /// <summary>The pipeline observer with the model's name in the progress of its recommender stages and
    /// tokenizer adapters, so that each variant gets its own progress bars.</summary>
    public PipelineObserver? PipelineFor(string model) => Observer.Pipeline is not { } o ? null : new PipelineObserver
    {
        Log = o.Log,
        Embedding = o.Embedding,
        Evaluation = o.Evaluation,
        Tokenizer = o.Tokenizer is { } tokenizer ? p => tokenizer(p with { Domain = p.Domain is null ? null : $"{p.Domain} ({model})" }) : null,
        Recommender = o.Recommender is { } recommender ? p => recommender(p with { Stage = $"{model}: {p.Stage}" }) : null,
    };

    /// <summary>Called by a model right before it trains something (not when it loads it from a cache).</summary>
    public void Training(string model, string what)
    {
        Log($"{model}: training {what} (resident memory now {BenchMemory.ResidentMb():F0} MB)");
        Observer.TrainingStarted?.Invoke(model, what);
    }
}

/// <summary>Callbacks of a benchmark run, for a console or a test.</summary>
public sealed class BenchObserver
{
    /// <summary>Progress and log lines of the GenCDR pipeline steps (also used for the other models' log lines).</summary>
    public PipelineObserver? Pipeline { get; init; }

    /// <summary>(model, what): a model starts training something (a tokenizer, a recommender, a baseline).</summary>
    public Action<string, string>? TrainingStarted { get; init; }

    /// <summary>A progress bar for the evaluation of the named model (fractions in [0, 1]).</summary>
    public Func<string, IProgress<double>>? Evaluation { get; init; }
}
