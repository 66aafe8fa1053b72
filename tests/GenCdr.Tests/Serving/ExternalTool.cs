using System.Diagnostics;

namespace GenCdr.Tests.Serving;

/// <summary>Runs a command-line tool of the serving tests (chromium, redocly, kiota) to its end and returns what it printed.</summary>
static class ExternalTool
{
    /// <summary>The skip rule of every test that needs an external tool: skipped (reported as skipped, with
    /// <paramref name="reason"/>) only when the tool is missing AND the CI variable is unset; .ci/run installs the tools,
    /// so in CI a missing tool fails the test instead. Null: run the test.</summary>
    public static string? SkipUnlessPresent(bool present, string reason) =>
        present || Environment.GetEnvironmentVariable("CI") is not null ? null : $"{reason} (and CI is unset)";

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n{Stdout}\n{Stderr}";
    }

    /// <summary><paramref name="timeout"/> only guards against a hung tool (it fails the test, never decides a pass).</summary>
    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromMinutes(3);
        using var cancel = new CancellationTokenSource(limit);
        try { await process.WaitForExitAsync(cancel.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not finish within {limit.TotalSeconds:F0} s: {await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The full path of the first of <paramref name="names"/> found on PATH, or null.</summary>
    public static string? FindOnPath(params string[] names) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .SelectMany(dir => names.Select(name => Path.Combine(dir, name))).FirstOrDefault(File.Exists);
}
