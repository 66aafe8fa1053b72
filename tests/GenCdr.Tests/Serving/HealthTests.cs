using System.Net;
using System.Text.Json;
using GenCdr.Serving;

namespace GenCdr.Tests.Serving;

/// <summary>The probes: live at once, ready only once the bundle is loaded (the test decides when it is).</summary>
[Collection(TrainedModelCollection.Name)]
public sealed class HealthTests(TrainedModelFixture fixture)
{
    static async Task<(HttpStatusCode Status, JsonElement Body)> Get(RunningServer server, string path)
    {
        var response = await server.Client.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Readiness_is_503_until_the_bundle_is_loaded_while_liveness_answers_at_once()
    {
        var loading = new TaskCompletionSource<ModelBundle>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await RunningServer.StartAsync(loading.Task);

        Assert.Equal(HttpStatusCode.OK, (await Get(server, "/health/live")).Status);
        var (status, body) = await Get(server, "/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("the model bundle is still loading", body.GetProperty("error").GetString());
        foreach (var path in new[] { "/health", "/v1/domains", "/v1/users/U0001/recommendations?domain=outdoor" })
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Get(server, path)).Status);

        loading.SetResult(ModelBundle.Load(fixture.BundleDirectory));
        (status, body) = await Get(server, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Get(server, "/v1/domains")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Get(server, "/health/live")).Status);
    }

    [Fact]
    public async Task A_bundle_that_failed_to_load_keeps_readiness_503_with_the_reason()
    {
        await using var server = await RunningServer.StartAsync(Task.FromException<ModelBundle>(new GenCdrException("nowhere.gcdr: model bundle not found")));
        var (status, body) = await Get(server, "/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("the model bundle failed to load: nowhere.gcdr: model bundle not found", body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Get(server, "/health/live")).Status);
    }
}
