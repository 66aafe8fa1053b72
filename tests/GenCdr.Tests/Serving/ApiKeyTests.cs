using System.Net;
using System.Text.Json;
using GenCdr.Server;

namespace GenCdr.Tests.Serving;

/// <summary>The API key: writes need it, reads need it only with RequireKeyForReads, and bad keys never start a server.</summary>
[Collection(TrainedModelCollection.Name)]
public sealed class ApiKeyTests(TrainedModelFixture fixture)
{
    static object NewItem(string id) => new { id, domain = "outdoor", title = "Summit ultralight green nylon tent" };

    static async Task<(int Status, string Error)> Get(RunningServer server, string path, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null) request.Headers.Add(ApiKey.Header, apiKey);
        var response = await server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, response.IsSuccessStatusCode ? "" : JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()!);
    }

    [Theory]
    [InlineData(null, "needs the API key in the X-API-Key header")]
    [InlineData("", "header is empty")]
    [InlineData("test-key-0123456789abcdeX", "does not hold this server's API key")]
    public async Task Adding_an_item_without_the_right_key_gets_401_saying_why_and_adds_nothing(string? key, string expected)
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory, RunningServer.KeyedOptions);
        int items = server.Bundle.Catalog.ItemCount(0);
        var (status, body) = await server.Post("/v1/items", NewItem("KEYLESS"), key);
        Assert.Equal(401, status);
        Assert.Contains(expected, body.GetProperty("error").GetString());
        Assert.Equal(items, server.Bundle.Catalog.ItemCount(0));
    }

    [Fact]
    public async Task With_the_right_key_the_item_is_added_and_reads_stay_open_without_one()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory, RunningServer.KeyedOptions);
        var (status, body) = await server.Post("/v1/items", NewItem("KEYED"), RunningServer.TestKey);
        Assert.Equal(201, status);
        Assert.True(body.GetProperty("added").GetBoolean());
        Assert.Equal(200, (await Get(server, "/v1/items/KEYED?domain=outdoor")).Status);
        (status, _) = await server.Post("/v1/recommend", new { history = new[] { new { item = "KEYED" } }, domain = "apparel", k = 2 });
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Without_a_configured_key_adding_items_is_refused_with_403_saying_how_to_configure_one()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory);
        var (status, body) = await server.Post("/v1/items", NewItem("NO-KEY-SERVER"), "anything-at-all-0123456789");
        Assert.Equal(403, status);
        Assert.Contains("--api-key-file", body.GetProperty("error").GetString());
        Assert.Equal(200, (await Get(server, "/v1/domains")).Status);
    }

    [Fact]
    public async Task Require_key_for_reads_closes_the_v1_reads_but_not_health()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory, RunningServer.KeyedOptions with { RequireKeyForReads = true });
        string user = server.Bundle.Catalog.UserIds[0];
        foreach (var path in new[] { "/v1/domains", $"/v1/users/{user}", $"/v1/users/{user}/recommendations?domain=outdoor&k=2" })
        {
            var (status, error) = await Get(server, path);
            Assert.True(status == 401, $"GET {path} without a key: {status}");
            Assert.Contains("needs the API key", error);
            Assert.Equal(200, (await Get(server, path, RunningServer.TestKey)).Status);
        }
        Assert.Equal(401, (await server.Post("/v1/recommend", new { history = Array.Empty<object>(), domain = "outdoor" })).Status);
        Assert.Equal(200, (await Get(server, "/health")).Status);
    }

    [Fact]
    public void Require_key_for_reads_without_a_key_is_refused_before_the_server_is_built()
    {
        using var bundle = GenCdr.Serving.ModelBundle.Load(fixture.BundleDirectory);
        var e = Assert.Throws<GenCdrException>(() => ServerApp.Build(bundle, new ServerOptions { RequireKeyForReads = true }));
        Assert.Contains("--require-key-for-reads needs an API key", e.Message);
    }

    [Fact]
    public async Task The_openapi_document_declares_the_key_scheme_on_exactly_the_keyed_operations()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory, RunningServer.KeyedOptions);
        var document = await server.GetJson("/openapi/v1.json");
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty(ApiKey.SchemeName);
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal(ApiKey.Header, scheme.GetProperty("name").GetString());
        var paths = document.GetProperty("paths");
        var addItem = paths.GetProperty("/v1/items").GetProperty("post");
        Assert.True(addItem.GetProperty("security")[0].TryGetProperty(ApiKey.SchemeName, out _));
        Assert.True(addItem.GetProperty("responses").TryGetProperty("401", out _));
        var getItem = paths.GetProperty("/v1/items/{id}").GetProperty("get");
        Assert.Equal(JsonValueKind.Object, getItem.GetProperty("security")[0].ValueKind);
        Assert.Empty(getItem.GetProperty("security")[0].EnumerateObject()); // [{}]: explicitly no credential
        Assert.False(getItem.GetProperty("responses").TryGetProperty("401", out _));
    }

    [Fact]
    public void A_key_file_that_is_missing_empty_short_or_several_lines_is_refused_naming_the_file()
    {
        string dir = Path.Combine(fixture.Root, $"keys-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        string Write(string name, string text) { string path = Path.Combine(dir, name); File.WriteAllText(path, text); return path; }

        string missing = Path.Combine(dir, "missing.key");
        Assert.Equal($"--api-key-file {missing}: the file does not exist", Assert.Throws<GenCdrException>(() => ApiKey.FromFile(missing)).Message);
        string empty = Write("empty.key", " \n");
        Assert.Equal($"--api-key-file {empty}: the API key is empty", Assert.Throws<GenCdrException>(() => ApiKey.FromFile(empty)).Message);
        Assert.Contains("at least 16", Assert.Throws<GenCdrException>(() => ApiKey.FromFile(Write("short.key", "abc"))).Message);
        Assert.Contains("one line", Assert.Throws<GenCdrException>(() => ApiKey.FromFile(Write("lines.key", "0123456789abcdef\n0123456789abcdef"))).Message);

        var key = ApiKey.FromFile(Write("good.key", RunningServer.TestKey + "\n")); // a file's final newline is not part of the key
        Assert.True(key.Matches(RunningServer.TestKey));
        Assert.False(key.Matches(RunningServer.TestKey + "\n"));
        Assert.DoesNotContain(RunningServer.TestKey, key.ToString());
        Assert.DoesNotContain(RunningServer.TestKey, RunningServer.KeyedOptions.ToString()); // the options record prints its properties
    }

    [Fact]
    public void The_environment_variable_gives_the_key_when_no_file_is_named()
    {
        string? before = Environment.GetEnvironmentVariable(ApiKey.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(ApiKey.EnvironmentVariable, RunningServer.TestKey);
            Assert.True(ApiKey.Resolve(null)!.Matches(RunningServer.TestKey));
            Environment.SetEnvironmentVariable(ApiKey.EnvironmentVariable, null);
            Assert.Null(ApiKey.Resolve(null));
        }
        finally { Environment.SetEnvironmentVariable(ApiKey.EnvironmentVariable, before); }
    }
}
