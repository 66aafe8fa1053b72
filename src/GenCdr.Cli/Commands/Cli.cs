using System.CommandLine;
using Spectre.Console;

namespace GenCdr.Cli.Commands;

/// <summary>What every command shares: common options, the run folder, and one-line error reporting.</summary>
static class Cli
{
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Print stack traces on errors.",
        Recursive = true,
    };

    public static readonly Option<int?> Threads = ThreadsOption();

    static Option<int?> ThreadsOption()
    {
        var option = new Option<int?>("--threads")
        {
            Description = "TorchSharp intra-op threads (default: every core). Not part of the run's configuration.",
            Recursive = true,
        };
        // checked when the command line is parsed, so that every command refuses it before any work
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1 and var n) result.AddError($"--threads must be ≥ 1 (got {n}); leave it out to use every core");
        });
        return option;
    }

    /// <summary>Applies --threads to TorchSharp.</summary>
    public static void ApplyThreads(ParseResult parse)
    {
        TorchSharp.torch.set_num_threads(parse.GetValue(Threads) ?? Environment.ProcessorCount);
    }

    /// <summary>--device of the commands that train, evaluate or serve GenCDR (<see cref="RunConfig.Device"/>), checked when
    /// the command line is parsed.</summary>
    /// <param name="otherwise">what the command uses without it</param>
    public static Option<string?> DeviceOption(string otherwise)
    {
        var option = new Option<string?>("--device")
        {
            Description = $"cpu, cuda or cuda:N: where GenCDR's tokenizer and recommender run (default: {otherwise}). CUDA needs the CUDA build of libtorch instead of TorchSharp-cpu and is untested here; the baselines stay on the CPU.",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } name && Devices.TryParse(name) is null) result.AddError(Devices.Problem("--device", name));
        });
        return option;
    }

    /// <summary>The configuration with --device applied, when given (a run folder's or a bundle's configuration otherwise).</summary>
    public static RunConfig ApplyDevice(ParseResult parse, Option<string?> device, RunConfig config) =>
        parse.GetValue(device) is { } name ? config with { Device = name } : config;

    public static Option<string?> OutOption(string what) => new("--out")
    {
        Description = $"Folder for {what} (default: a new timestamped folder under ./runs).",
    };

    /// <summary>A new folder for a run's artifacts: the given one, or ./runs/yyyyMMdd-HHmmss-NAME.</summary>
    public static string RunFolder(string? requested, string name)
    {
        string dir = requested ?? Path.Combine("runs", $"{DateTime.Now:yyyyMMdd-HHmmss}-{name}");
        Directory.CreateDirectory(dir);
        return Path.GetFullPath(dir);
    }

    /// <summary>Runs a command body: user errors become one red line and exit code 1; anything else
    /// also one line, with the stack trace only under --verbose.</summary>
    public static void SetGuardedAction(this Command command, Func<ParseResult, int> body)
    {
        command.SetAction(parse =>
        {
            bool verbose = parse.GetValue(Verbose);
            try
            {
                return body(parse);
            }
            catch (GenCdrException e)
            {
                Fail(e.Message, e, verbose);
                return 1;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                Fail(e.Message, e, verbose);
                return 1;
            }
            catch (Exception e)
            {
                Fail($"{e.GetType().Name}: {e.Message}", e, verbose);
                return 2;
            }
        });
    }

    static void Fail(string message, Exception e, bool verbose)
    {
        AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {message}");
        if (verbose) AnsiConsole.WriteException(e);
        else AnsiConsole.MarkupLine("[grey](run with --verbose for details)[/]");
    }
}
