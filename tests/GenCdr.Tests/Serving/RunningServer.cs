using System.Net.Http.Json;
using System.Text.Json;
using GenCdr.Server;
using GenCdr.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GenCdr.Tests.Serving;

/// <summary>The HTTP server on 127.0.0.1 with a free port, over a bundle, with an HttpClient pointing at it.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    readonly Task<ModelBundle> _loading;
    public ModelBundle Bundle => _loading.Result;
    public WebApplication App { get; }
    public HttpClient Client { get; }
    public string BaseUrl { get; }

    RunningServer(Task<ModelBundle> loading, WebApplication app, string baseUrl)
    {
        _loading = loading;
        App = app;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static Task<RunningServer> StartAsync(string bundleDirectory, ServerOptions? options = null) =>
        StartAsync(Task.FromResult(ModelBundle.Load(bundleDirectory)), options);

    /// <summary>A server whose bundle arrives when <paramref name="loading"/> completes (the test decides when), with
    /// <paramref name="services"/> added to its host (e.g. an observer of the micro-batcher).</summary>
    public static async Task<RunningServer> StartAsync(Task<ModelBundle> loading, ServerOptions? options = null, Action<IServiceCollection>? services = null)
    {
        var app = ServerApp.Build(loading, (options ?? new ServerOptions()) with { Urls = "http://127.0.0.1:0" }, services);
        await app.StartAsync();
        return new RunningServer(loading, app, app.Urls.Single());
    }

    public async Task<JsonElement> GetJson(string path)
    {
        var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A key for servers that tests start with <see cref="KeyedOptions"/>.</summary>
    public const string TestKey = "test-key-0123456789abcdef";
    public static ServerOptions KeyedOptions => new() { ApiKey = ApiKey.FromText(TestKey, "the test key") };

    /// <summary>POSTs <paramref name="body"/> as JSON, with <paramref name="apiKey"/> in the X-API-Key header when given.</summary>
    public async Task<(int Status, JsonElement Body)> Post(string path, object body, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (apiKey is not null) request.Headers.Add(ApiKey.Header, apiKey);
        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (_loading.IsCompletedSuccessfully) Bundle.Dispose();
    }
}
