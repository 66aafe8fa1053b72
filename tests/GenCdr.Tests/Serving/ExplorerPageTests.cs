using System.Text.RegularExpressions;

namespace GenCdr.Tests.Serving;

/// <summary>The explorer page end to end: the server renders nothing itself, so only a real browser running the
/// page's script shows whether history and recommendations appear. Headless Debian chromium, --dump-dom.</summary>
[Collection(TrainedModelCollection.Name)]
public sealed class ExplorerPageTests(TrainedModelFixture fixture)
{
    const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_page_is_served_at_the_root()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory);
        var html = await server.Client.GetStringAsync("/");
        Assert.Contains("<title>GenCDR explorer</title>", html);
        Assert.Contains("/v1/users/", html);
    }

    /// <summary>Skipped without chromium unless CI is set (<see cref="ExternalTool.SkipUnlessPresent"/>; .ci/run installs it).</summary>
    public sealed class ChromiumFactAttribute : FactAttribute
    {
        public ChromiumFactAttribute() =>
            Skip = ExternalTool.SkipUnlessPresent(FindChromium() is not null,
                "chromium is not installed: the explorer end-to-end test needs `apt-get install -y chromium`");
    }

    [ChromiumFact]
    public async Task Headless_chromium_renders_history_and_recommendations_for_every_domain()
    {
        string chromium = FindChromium()
            ?? throw new InvalidOperationException($"chromium not found (looked for {Chromium} and on PATH); CI must install it: `apt-get install -y chromium`");
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory);
        var catalog = server.Bundle.Catalog;
        string user = catalog.UserIds[1];
        string dom = await DumpDom(chromium, $"{server.BaseUrl}/?user={Uri.EscapeDataString(user)}");

        Assert.Contains("id=\"status\">ready<", dom);
        Assert.Contains($"History of {user}", dom);
        int historyRows = Regex.Matches(dom, "class=\"history-item\"").Count;
        Assert.Equal(catalog.Histories[1].Length, historyRows);
        foreach (var domain in catalog.DomainNames)
            Assert.Contains($"data-domain=\"{domain}\"", dom);
        var recommended = Regex.Matches(dom, "class=\"rec-item\" data-item=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(10 * catalog.DomainCount, recommended.Length);
        Assert.All(recommended, id => Assert.True(catalog.TryFindItem(id, -1, out _), $"rendered unknown item {id}"));
        Assert.True(Regex.Matches(dom, "<code class=\"sid").Count >= 4 * (historyRows + recommended.Length));
    }

    static string? FindChromium() => File.Exists(Chromium) ? Chromium : ExternalTool.FindOnPath("chromium", "chromium-browser");

    static async Task<string> DumpDom(string chromium, string url)
    {
        string profile = Path.Combine(Path.GetTempPath(), $"gencdr-chromium-{Guid.NewGuid():N}");
        try
        {
            var run = await ExternalTool.RunAsync(chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", $"--user-data-dir={profile}",
                "--virtual-time-budget=10000", "--dump-dom", url,
            ], Path.GetTempPath(), timeout: TimeSpan.FromSeconds(60));
            Assert.True(run.Stdout.Length > 0, $"chromium printed no DOM: {run}");
            return run.Stdout;
        }
        finally { try { Directory.Delete(profile, recursive: true); } catch (IOException) { } }
    }
}
