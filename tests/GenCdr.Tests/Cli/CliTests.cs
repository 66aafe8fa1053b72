using System.Diagnostics;
using GenCdr.Tests.Training;
using GenCdr.Training;

namespace GenCdr.Tests.Cli;

/// <summary>The `gencdr` command as a user runs it: a separate process, its exit code and what it prints.</summary>
public class CliTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("gencdr-cli-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The CLI as a process with its output redirected, one torch thread unless the arguments say otherwise.</summary>
    static Process Start(string workingDirectory, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "GenCdr.Cli.dll"));
        if (!args.Contains("--threads")) { start.ArgumentList.Add("--threads"); start.ArgumentList.Add("1"); }
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    internal static (int Exit, string Output) Gencdr(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd() + stderr.Result;
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    [Fact]
    public void Run_then_recommend_on_a_tiny_configuration()
    {
        string config = Path.Combine(_dir, "tiny.json");
        TinyRun.Config(Path.Combine(_dir, "cache")).Save(config);
        string run = Path.Combine(_dir, "run");

        var (exit, output) = Gencdr(_dir, "run", "--config", config, "--out", run);
        Assert.True(exit == 0, output);
        string results = File.ReadAllText(Path.Combine(run, "results.json"));
        foreach (var model in new[] { "GenCDR", "SASRec", "Popularity", "RecentSameDomain" }) Assert.Contains($"\"{model}\"", results);
        Assert.True(File.ReadLines(Path.Combine(run, "predictions.tsv")).Count() > 1);
        Assert.True(File.Exists(Path.Combine(run, "routing.json")));
        Assert.Contains("MoE gate, layer 0", output);

        // a finished folder re-run only evaluates: nothing is trained again, and the metrics are the same
        var before = ResultsOf(run);
        (exit, output) = Gencdr(_dir, "run", "--config", config, "--out", run);
        Assert.True(exit == 0, output);
        Assert.Contains("SASRec: loaded from", output);
        Assert.DoesNotContain("SASRec epoch", output);
        Assert.Equal(before, ResultsOf(run));

        // a repeat is a repeat: the same command into a fresh folder (same seeds, same thread count) gives the same metrics
        string repeat = Path.Combine(_dir, "repeat");
        (exit, output) = Gencdr(_dir, "run", "--config", config, "--out", repeat);
        Assert.True(exit == 0, output);
        Assert.Equal(before, ResultsOf(repeat));
        Assert.Equal(File.ReadAllBytes(Path.Combine(run, "recommender", RecommenderTraining.FinalWeights)),
            File.ReadAllBytes(Path.Combine(repeat, "recommender", RecommenderTraining.FinalWeights)));

        // two models of one run, paired per domain: GenCDR − SASRec with its interval
        (exit, output) = Gencdr(_dir, "compare", $"{run}:SASRec", run);
        Assert.True(exit == 0, output);
        Assert.Contains("B = GenCDR", output);
        Assert.Contains("B − A, R@10 [95 % CI]", output);

        string user = File.ReadLines(Path.Combine(run, "data", "users.tsv")).Skip(1).First().Split('\t')[^1];
        (exit, output) = Gencdr(_dir, "recommend", "--run", run, "--user", user, "--domain", "outdoor", "-k", "5");
        Assert.True(exit == 0, output);
        Assert.Contains("top 5 of outdoor", output);
    }

    /// <summary>
    /// Issue #13's kill test: `gencdr train` killed with SIGKILL (Process.Kill) as soon as it prints a chosen line, i.e.
    /// somewhere in the work that follows, then started again with the same command, until it finishes. The weights must
    /// equal those of an uninterrupted run, byte for byte.
    /// </summary>
    [Fact]
    public void Train_killed_with_sigkill_in_several_stages_resumes_to_the_weights_of_an_uninterrupted_run()
    {
        string config = Path.Combine(_dir, "tiny.json");
        var tiny = TinyRun.Config(Path.Combine(_dir, "cache"));
        (tiny with { Recommender = tiny.Recommender with { BackboneEpochs = 3, DomainEpochs = 2 } }).Save(config);
        string reference = Path.Combine(_dir, "reference"), killed = Path.Combine(_dir, "killed");
        var (exit, output) = Gencdr(_dir, "train", "--config", config, "--out", reference);
        Assert.True(exit == 0, output);

        var log = new List<string>();
        foreach (var marker in new[] { "interactions,", "backbone epoch 1/", "backbone epoch 2/", "universal epoch 1/", "domain-0 epoch 1/", "domain-1 epoch 1/" })
            log.Add(KillAt(_dir, marker, "train", "--config", config, "--out", killed));
        Assert.All(log, line => Assert.DoesNotContain("not seen", line));
        (exit, output) = Gencdr(_dir, "train", "--config", config, "--out", killed);
        Assert.True(exit == 0, output);
        Assert.True(output.Contains("resuming:"), string.Join("\n", log) + "\n" + output);
        string Weights(string run) => Path.Combine(run, "recommender", RecommenderTraining.FinalWeights);
        Assert.True(File.ReadAllBytes(Weights(reference)).SequenceEqual(File.ReadAllBytes(Weights(killed))),
            "the resumed weights differ; killed at:\n" + string.Join("\n", log));
    }

    /// <summary>Starts the command, kills it (SIGKILL) once a line containing <paramref name="marker"/> is printed, and
    /// returns that line (or, if the process ended first, its exit code).</summary>
    static string KillAt(string workingDirectory, string marker, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        var stderr = process.StandardError.ReadToEndAsync();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (!line.Contains(marker, StringComparison.Ordinal)) continue;
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return $"{marker}: {line}";
        }
        process.WaitForExit();
        return $"{marker}: not seen, exit {process.ExitCode}";
    }

    /// <summary>The last run's test metrics per model and domain, from results.txt's final table.</summary>
    static string ResultsOf(string run)
    {
        var text = File.ReadAllText(Path.Combine(run, "results.txt"));
        return text[text.LastIndexOf("GenCDR", StringComparison.Ordinal)..];
    }

    [Fact]
    public void An_unknown_data_set_is_one_clear_line_and_exit_code_1()
    {
        var (exit, output) = Gencdr(_dir, "data", "stats", "--data", "no-such-set");
        Assert.Equal(1, exit);
        Assert.Contains("error: unknown data set 'no-such-set'", output);
        Assert.DoesNotContain("   at ", output); // no stack trace without --verbose
    }

    [Fact]
    public void A_broken_config_file_names_the_file_and_leaves_no_run_folder()
    {
        string config = Path.Combine(_dir, "broken.json");
        File.WriteAllText(config, "{\n  \"Recommender\": { \"DModel\": \"wide\" }\n}\n");
        string run = Path.Combine(_dir, "run");
        var (exit, output) = Gencdr(_dir, "run", "--config", config, "--out", run);
        Assert.Equal(1, exit);
        Assert.Contains("broken.json:2", output);
        Assert.False(File.Exists(Path.Combine(run, "config.json")));
    }

    [Fact]
    public void Zero_seeds_is_refused_with_one_line_before_any_bench_folder_is_made()
    {
        string bench = Path.Combine(_dir, "bench");
        var (exit, output) = Gencdr(_dir, "bench", "builtin", "--seeds", "0", "--out", bench);
        Assert.Equal(1, exit);
        Assert.Contains("--seeds must be at least 1 (got 0)", output);
        Assert.False(Directory.Exists(bench));
    }

    [Fact]
    public void Zero_threads_is_refused_with_one_line()
    {
        var (exit, output) = Gencdr(_dir, "data", "stats", "--threads", "0");
        Assert.Equal(1, exit);
        Assert.Contains("--threads must be ≥ 1 (got 0)", output);
    }
}
