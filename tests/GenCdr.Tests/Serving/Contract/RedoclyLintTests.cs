using System.Text.Json;

namespace GenCdr.Tests.Serving.Contract;

/// <summary>The served OpenAPI document passes `redocly lint` with the repository's redocly.yaml (the recommended
/// rules): what a team putting the API behind a gateway or generating a client checks first (issue #16).</summary>
public sealed class RedoclyLintTests
{
    /// <summary>Skipped without redocly unless CI is set (<see cref="ExternalTool.SkipUnlessPresent"/>).</summary>
    public sealed class RedoclyFactAttribute : FactAttribute
    {
        public RedoclyFactAttribute() =>
            Skip = ExternalTool.SkipUnlessPresent(ExternalTool.FindOnPath("redocly") is not null,
                "redocly is not installed: the lint test needs `npm install -g @redocly/cli@2.77.0`");
    }

    /// <summary>The warnings that stay, each for a reason: the repository declares no licence, so the document does
    /// not invent one; and these operations take no input, so they have no 4xx answer to declare.</summary>
    static readonly string[] KnownWarnings =
    [
        "info-license at #/info",
        "operation-4xx-response at #/paths/~1health~1live/get/responses",
        "operation-4xx-response at #/paths/~1health~1ready/get/responses",
        "operation-4xx-response at #/paths/~1health/get/responses",
        "operation-4xx-response at #/paths/~1v1~1domains/get/responses",
    ];

    [RedoclyFact]
    public async Task The_served_document_has_no_lint_errors_and_only_the_known_warnings()
    {
        string redocly = ExternalTool.FindOnPath("redocly")
            ?? throw new InvalidOperationException("redocly not found on PATH; CI must install it: `npm install -g @redocly/cli@2.77.0`");
        string root = ServedDocument.RepositoryRoot();
        string dir = Directory.CreateTempSubdirectory("gencdr-lint-").FullName;
        try
        {
            string document = Path.Combine(dir, "openapi.json");
            await File.WriteAllTextAsync(document, await ServedDocument.FetchAsync());
            var lint = await ExternalTool.RunAsync(redocly, ["lint", document, "--config", Path.Combine(root, "redocly.yaml"), "--format", "json"], dir,
                new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" });
            int start = lint.Stdout.IndexOf('{');
            Assert.True(start >= 0, $"redocly printed no JSON report: {lint}");
            var report = JsonDocument.Parse(lint.Stdout[start..]).RootElement;
            var problems = report.GetProperty("problems").EnumerateArray().Select(p => (
                Severity: p.GetProperty("severity").GetString(),
                Where: $"{p.GetProperty("ruleId").GetString()} at {string.Join(", ", p.GetProperty("location").EnumerateArray().Select(l => l.GetProperty("pointer").GetString()))}",
                Message: p.GetProperty("message").GetString())).ToList();
            var unexpected = problems.Where(p => p.Severity != "warn" || !KnownWarnings.Contains(p.Where)).Select(p => $"{p.Severity} {p.Where}: {p.Message}").ToList();
            Assert.True(unexpected.Count == 0, $"redocly lint found {unexpected.Count} unexpected problems:\n{string.Join('\n', unexpected)}");
            Assert.Equal(KnownWarnings.Order(), problems.Select(p => p.Where).Order()); // a fixed warning leaves the list too
            Assert.Equal(0, lint.ExitCode); // redocly fails on errors only
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
