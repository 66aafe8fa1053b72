using Spectre.Console;

namespace GenCdr.Cli.Commands;

/// <summary>Spectre.Console helpers: a spinner around a blocking call, and progress bars.</summary>
static class ConsoleUi
{
    public static T Status<T>(Func<T> work, string what)
    {
        T result = default!;
        AnsiConsole.Status().Start(what + " …", _ => result = work());
        return result;
    }

    /// <summary>Runs work with one progress bar fed fractions in [0, 1].</summary>
    public static T Progress<T>(string what, Func<IProgress<double>, T> work)
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(what, maxValue: 1.0);
                result = work(new BarProgress(task));
                task.Value = 1.0;
            });
        return result;
    }

    /// <summary>Synchronous IProgress (System.Progress posts to a thread pool, which would lag the bar).</summary>
    sealed class BarProgress(ProgressTask task) : IProgress<double>
    {
        public void Report(double value) => task.Value = Math.Clamp(value, 0, 1);
    }
}
