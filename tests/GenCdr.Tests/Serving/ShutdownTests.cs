using System.Net;
using System.Text.Json;
using GenCdr.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace GenCdr.Tests.Serving;

/// <summary>A stop of the host (what SIGTERM triggers): the requests in flight finish, then the server is gone.</summary>
[Collection(TrainedModelCollection.Name)]
public sealed class ShutdownTests(TrainedModelFixture fixture)
{
    /// <summary>Holds the micro-batcher's worker after a decode, before the batch's callers get their answers.</summary>
    sealed class Gate : IBatchObserver
    {
        public readonly TaskCompletionSource Decoded = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly ManualResetEventSlim Open = new();
        public void BatchDecoded(int requests, TimeSpan elapsed)
        {
            Decoded.TrySetResult();
            Open.Wait();
        }
    }

    [Fact]
    public async Task A_request_in_flight_when_the_stop_begins_gets_its_answer_and_later_ones_are_refused()
    {
        var gate = new Gate();
        await using var server = await RunningServer.StartAsync(Task.FromResult(ModelBundle.Load(fixture.BundleDirectory)), null,
            services => services.AddSingleton<IBatchObserver>(gate));
        string path = $"/v1/users/{server.Bundle.Catalog.UserIds[0]}/recommendations?domain=apparel&k=4";
        var answer = server.Client.GetAsync(path);
        await gate.Decoded.Task; // the request is inside the server, its answer held by the gate

        var stopping = server.App.StopAsync();
        Assert.True(server.App.Lifetime.ApplicationStopping.IsCancellationRequested);
        Assert.False(answer.IsCompleted);
        Assert.False(stopping.IsCompleted); // the host waits for the request in flight
        gate.Open.Set();

        var response = await answer;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items").GetArrayLength());
        await stopping;
        using var late = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        await Assert.ThrowsAsync<HttpRequestException>(() => late.GetAsync(path)); // nothing listens any more
    }
}
