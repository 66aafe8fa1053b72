using System.Diagnostics;
using GenCdr.Tests.Training;

namespace GenCdr.Tests.Cli;

/// <summary>The `gencdr` command as a user runs it: a separate process, its exit code and what it prints.</summary>
public class CliTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("gencdr-cli-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static (int Exit, string Output) Gencdr(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "GenCdr.Cli.dll"));
        if (!args.Contains("--threads")) { start.ArgumentList.Add("--threads"); start.ArgumentList.Add("1"); }
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
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

        string user = File.ReadLines(Path.Combine(run, "data", "users.tsv")).Skip(1).First().Split('\t')[^1];
        (exit, output) = Gencdr(_dir, "recommend", "--run", run, "--user", user, "--domain", "outdoor", "-k", "5");
        Assert.True(exit == 0, output);
        Assert.Contains("top 5 of outdoor", output);
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
    public void Zero_threads_is_refused_with_one_line()
    {
        var (exit, output) = Gencdr(_dir, "data", "stats", "--threads", "0");
        Assert.Equal(1, exit);
        Assert.Contains("--threads must be ≥ 1 (got 0)", output);
    }
}
