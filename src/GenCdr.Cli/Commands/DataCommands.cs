using System.CommandLine;
using GenCdr.Data;
using Spectre.Console;

namespace GenCdr.Cli.Commands;

/// <summary><c>gencdr data stats</c> and <c>gencdr data prepare</c>.</summary>
static class DataCommands
{
    public static Command Create()
    {
        var data = new Command("data", "Read, prepare and describe data sets.");
        data.Subcommands.Add(Stats());
        data.Subcommands.Add(Prepare());
        return data;
    }

    static Command Stats()
    {
        var options = new DataOptions();
        var command = new Command("stats", "Print the paper's Table 1 columns (users, items, interactions, sparsity, overlap) for a data set.");
        options.AddTo(command);
        command.SetGuardedAction(parse =>
        {
            var config = options.Apply(parse, new DataConfig());
            var data = ConsoleUi.Status(() => DatasetSource.Load(config), $"reading {config.Source}");
            var stats = DatasetStatistics.Compute(data);
            AnsiConsole.Write(stats.ToTable());
            return 0;
        });
        return command;
    }

    static Command Prepare()
    {
        var options = new DataOptions();
        var output = Cli.OutOption("the prepared data set");
        var command = new Command("prepare", "Read a data set from its source files, filter, split and save it in the prepared form (manifest.json + TSV).");
        options.AddTo(command);
        command.Options.Add(output);
        command.SetGuardedAction(parse =>
        {
            var config = options.Apply(parse, new DataConfig());
            var data = ConsoleUi.Status(() => DatasetSource.Load(config), $"reading {config.Source}");
            string dir = Cli.RunFolder(parse.GetValue(output), "prepared");
            PreparedDatasetStore.Save(data, dir, config.Preparation);
            AnsiConsole.Write(DatasetStatistics.Compute(data).ToTable());
            AnsiConsole.MarkupLineInterpolated($"prepared data set written to [green]{dir}[/]");
            return 0;
        });
        return command;
    }
}
