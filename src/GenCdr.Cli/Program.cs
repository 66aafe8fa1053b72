using System.CommandLine;
using GenCdr.Cli.Commands;
using Spectre.Console;

GenCdr.Cli.NativeMemory.CapAllocatorArenas();

// Piped output (CI logs, files) would otherwise wrap every table at 80 columns.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;

var root = new RootCommand("gencdr — GenCDR, generative cross-domain recommendation with adaptive semantic tokenization (arXiv 2511.08006).");
root.Options.Add(Cli.Verbose);
root.Options.Add(Cli.Threads);
root.Subcommands.Add(DataCommands.Create());
foreach (var command in PipelineCommands.Create()) root.Subcommands.Add(command);
root.Subcommands.Add(RecommendCommand.Create());
root.Subcommands.Add(CompareCommand.Create());
foreach (var command in ServeCommands.Create()) root.Subcommands.Add(command);
root.Subcommands.Add(BenchCommands.Create(ServeCommands.BenchServe(), SpeedCommand.Create()));
return root.Parse(args).Invoke();
