using System.Net;
using System.Text.Json;
using GenCdr.Server;
using GenCdr.Serving;

namespace GenCdr.Tests.Serving.Contract;

/// <summary>What the OpenAPI document promises beyond the lint: it names the API and the served model, and every
/// operation is described with examples; and the answers the document promises for bad input are what comes.</summary>
[Collection(TrainedModelCollection.Name)]
public sealed class ContractTests(TrainedModelFixture fixture)
{
    [Fact]
    public async Task The_version_names_the_served_model_once_it_is_loaded()
    {
        var loading = new TaskCompletionSource<ModelBundle>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await RunningServer.StartAsync(loading.Task);
        var before = (await server.GetJson("/openapi/v1.json")).GetProperty("info");
        Assert.Equal(OpenApiContract.Title, before.GetProperty("title").GetString());
        Assert.Equal("1 (model not loaded yet)", before.GetProperty("version").GetString());

        loading.SetResult(ModelBundle.Load(fixture.BundleDirectory));
        string version = (await server.GetJson("/openapi/v1.json")).GetProperty("info").GetProperty("version").GetString()!;
        string weights = server.Bundle.Manifest.Files[BundleLayout.RecommenderWeights];
        Assert.Equal($"1 (model {server.Bundle.Manifest.Name}, weights sha256:{weights[..12]})", version);
    }

    [Fact]
    public async Task Every_operation_has_a_description_security_and_an_example_of_every_answer()
    {
        string served = await ServedDocument.FetchAsync();
        Assert.Equal(served, await ServedDocument.FetchAsync(new ServerOptions())); // the same contract with or without a key
        var document = JsonDocument.Parse(served).RootElement;
        Assert.Equal($"http://{ServedDocument.Host}", document.GetProperty("servers")[0].GetProperty("url").GetString());
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Name: $"{o.Name} {p.Name}", Operation: o.Value))).ToList();
        Assert.Equal(12, operations.Count);
        foreach (var (name, operation) in operations)
        {
            Assert.True(operation.TryGetProperty("description", out _), $"{name} has no description");
            Assert.True(operation.TryGetProperty("security", out _), $"{name} does not say whether it needs the key");
            foreach (var response in operation.GetProperty("responses").EnumerateObject())
                foreach (var media in response.Value.GetProperty("content").EnumerateObject())
                    Assert.True(media.Value.TryGetProperty("example", out _), $"{name} → {response.Name} {media.Name} has no example");
        }
        var addItem = document.GetProperty("paths").GetProperty("/v1/items").GetProperty("post").GetProperty("responses");
        Assert.True(addItem.TryGetProperty("401", out _) && addItem.TryGetProperty("403", out _), "adding items declares both refusals");
    }

    [Fact]
    public async Task A_query_parameter_that_does_not_parse_is_a_400_with_the_error_body()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory);
        var response = await server.Client.GetAsync($"/v1/users/{server.Bundle.Catalog.UserIds[0]}/recommendations?domain=outdoor&k=ten");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        Assert.Equal("'k' must be an integer, got 'ten'", error);
    }
}
