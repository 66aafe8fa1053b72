using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace GenCdr.Tests.Serving;

/// <summary>
/// A real SIGTERM to <c>gencdr serve</c> running as a child process (what an orchestrator sends): a request in flight
/// gets its answer, then the process exits with 0. The request is held in the micro-batcher by serve's test hook
/// (GENCDR_SERVE_HOLD_FIRST_DECODE, released by a line on its standard input), and every step waits for a line that
/// serve prints, so nothing depends on timing; the timeouts only stop a hung child from hanging the test run.
/// </summary>
[Collection(TrainedModelCollection.Name)]
public sealed partial class SigtermTests(TrainedModelFixture fixture)
{
    static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    [Fact]
    public async Task A_request_in_flight_when_sigterm_arrives_gets_its_answer_and_serve_exits_with_0()
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "GenCdr.Cli.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            ArgumentList = { cli, "--threads", "1", "serve", "--model", fixture.BundleDirectory, "--urls", "http://127.0.0.1:0" },
            Environment = { ["GENCDR_SERVE_HOLD_FIRST_DECODE"] = "1" },
        };
        using var serve = Process.Start(start)!;
        var lines = Channel.CreateUnbounded<string>();
        var printed = new List<string>();
        serve.OutputDataReceived += (_, e) => { if (e.Data is { } line) lines.Writer.TryWrite(line); else lines.Writer.TryComplete(); };
        var stderr = serve.StandardError.ReadToEndAsync();
        serve.BeginOutputReadLine();
        using var guard = new CancellationTokenSource(HangGuard);
        try
        {
            async Task<string> Await(Func<string, bool> wanted, string what)
            {
                try
                {
                    await foreach (var line in lines.Reader.ReadAllAsync(guard.Token))
                    {
                        printed.Add(line);
                        if (wanted(line)) return line;
                    }
                }
                catch (OperationCanceledException) { }
                throw new Xunit.Sdk.XunitException($"serve never printed {what}; it printed:\n{string.Join('\n', printed)}\n{(serve.HasExited ? await stderr : "")}");
            }

            string baseUrl = Listening().Match(await Await(l => Listening().IsMatch(l), "its address")).Groups[1].Value;
            await Await(l => l.StartsWith("serving "), "that the bundle is loaded");
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready", guard.Token)).StatusCode);

            string user = JsonDocument.Parse(await http.GetStringAsync("/v1/users?limit=1", guard.Token)).RootElement.GetProperty("users")[0].GetString()!;
            var answer = http.GetAsync($"/v1/users/{user}/recommendations?domain=apparel&k=4", guard.Token);
            await Await(l => l == "held: the first decode's answers wait for a line on standard input", "that it holds the request");
            using (var kill = Process.Start("kill", ["-TERM", serve.Id.ToString()]))
            {
                await kill.WaitForExitAsync(guard.Token);
                Assert.Equal(0, kill.ExitCode);
            }
            await Await(l => l.StartsWith("stopping"), "that it is stopping");
            Assert.False(answer.IsCompleted); // still held: the request is in flight while the server stops
            Assert.False(serve.HasExited);

            await serve.StandardInput.WriteLineAsync(); // release the held decode
            await serve.StandardInput.FlushAsync();
            var response = await answer;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(4, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items").GetArrayLength());

            await serve.WaitForExitAsync(guard.Token);
            Assert.Equal(0, serve.ExitCode);
            await Await(l => l == "stopped", "that it stopped");
        }
        finally
        {
            if (!serve.HasExited) serve.Kill(entireProcessTree: true);
        }
    }
}
