using GenCdr.Training;
using GenCdr.Tokenization;
using Spectre.Console;

namespace GenCdr.Cli.Commands;

/// <summary>Renders a pipeline's progress as Spectre.Console progress bars (one per stage) and its log as grey
/// lines above them.</summary>
sealed class PipelineConsole
{
    readonly ProgressContext _context;
    readonly Dictionary<string, ProgressTask> _tasks = [];
    ProgressTask? _current;

    PipelineConsole(ProgressContext context) { _context = context; }

    /// <summary>Runs work inside a live progress display and returns its result. When the output is not a terminal
    /// (a log file, a pipe, a test) there is no live display, which would hold the log back until the end: each log
    /// line is printed as it comes, and progress is not drawn.</summary>
    /// <param name="work">gets the observer to pass to the pipeline and a factory of named progress bars</param>
    public static T Run<T>(Func<PipelineObserver, Func<string, IProgress<double>>, T> work)
    {
        if (Console.IsOutputRedirected)
            return work(new PipelineObserver { Log = line => Console.Out.WriteLine(line.TrimEnd()) }, _ => new Progress<double>());
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var console = new PipelineConsole(ctx);
                result = work(console.Observer(), name => new Fraction(console, name));
                console.Finish();
            });
        return result;
    }

    PipelineObserver Observer() => new()
    {
        Log = line => AnsiConsole.MarkupLineInterpolated($"[grey]{line.TrimEnd()}[/]"),
        Embedding = new Fraction(this, "embedding item texts"),
        Tokenizer = p => Set(p.Stage == TokenizerStage.Universal ? "tokenizer: RQ-VAE (stage 1)" : $"tokenizer: adapter + router {p.Domain}",
            (p.Epoch - 1 + (double)p.Step / Math.Max(1, p.StepsPerEpoch)) / Math.Max(1, p.Epochs)),
        Recommender = p => Set($"recommender: {p.Stage}", (p.Epoch - 1 + (double)p.Step / Math.Max(1, p.Steps)) / Math.Max(1, p.Epochs)),
    };

    /// <summary>Moves the bar named <paramref name="name"/> to a fraction; a new name completes the previous bar
    /// (a stage that stopped early is done, not stuck).</summary>
    public void Set(string name, double fraction)
    {
        if (!_tasks.TryGetValue(name, out var task))
        {
            _current?.Value(_current.MaxValue);
            task = _context.AddTask(Markup.Escape(name), maxValue: 1.0);
            _tasks[name] = task;
        }
        _current = task;
        task.Value = Math.Clamp(fraction, 0, 1);
    }

    void Finish()
    {
        foreach (var task in _tasks.Values) task.Value = task.MaxValue;
    }

    sealed class Fraction(PipelineConsole console, string name) : IProgress<double>
    {
        public void Report(double value) => console.Set(name, value);
    }
}
