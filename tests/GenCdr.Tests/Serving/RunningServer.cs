using System.Net.Http.Json;
using System.Text.Json;
using GenCdr.Server;
using GenCdr.Serving;
using Microsoft.AspNetCore.Builder;

namespace GenCdr.Tests.Serving;

/// <summary>The HTTP server on 127.0.0.1 with a free port, over a bundle, with an HttpClient pointing at it.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    public ModelBundle Bundle { get; }
    public WebApplication App { get; }
    public HttpClient Client { get; }
    public string BaseUrl { get; }

    RunningServer(ModelBundle bundle, WebApplication app, string baseUrl)
    {
        Bundle = bundle;
        App = app;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<RunningServer> StartAsync(string bundleDirectory, ServerOptions? options = null)
    {
        var bundle = ModelBundle.Load(bundleDirectory);
        var app = ServerApp.Build(bundle, (options ?? new ServerOptions()) with { Urls = "http://127.0.0.1:0" });
        await app.StartAsync();
        return new RunningServer(bundle, app, app.Urls.Single());
    }

    public async Task<JsonElement> GetJson(string path)
    {
        var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<(int Status, JsonElement Body)> Post(string path, object body)
    {
        var response = await Client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Bundle.Dispose();
    }
}
