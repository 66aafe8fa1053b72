using GenCdr.Server;
using GenCdr.Serving;

namespace GenCdr.Tests.Serving.Contract;

/// <summary>
/// The OpenAPI document as <c>gencdr serve</c> serves it, without a trained model: the contract comes from the
/// endpoints, not from the bundle, so a server whose bundle never loads serves it too (only its version differs from a
/// loaded server's: "model not loaded yet" instead of the model's name and weights). It is asked for as host
/// <see cref="Host"/> (serve's default address), so its server URL, which a generated client takes as its default
/// base URL, is the same on every run whatever port the test server got.
/// </summary>
static class ServedDocument
{
    public const string Host = "127.0.0.1:5080";

    public static async Task<string> FetchAsync(ServerOptions? options = null)
    {
        var neverLoads = new TaskCompletionSource<ModelBundle>();
        await using var server = await RunningServer.StartAsync(neverLoads.Task, options ?? RunningServer.KeyedOptions);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = Host;
        using var response = await server.Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /openapi/v1.json: {(int)response.StatusCode} {text}");
        return text;
    }

    /// <summary>The repository's root (where redocly.yaml and dotnet-tools.json are), found above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GenCdr.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no GenCdr.sln above {AppContext.BaseDirectory}: the tests must run from a build of the repository");
    }
}
