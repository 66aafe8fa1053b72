using GenCdr.Client;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Api = GenCdr.Client.Models;

namespace GenCdr.Tests.Serving.Contract;

/// <summary>The Kiota-generated C# client in samples/GenCdr.Client against a running server: a recommendation for
/// a history, adding an item with the API key (and the refusal without it), and a known user with their
/// recommendations, each checked against the bundle the server serves.</summary>
[Collection(TrainedModelCollection.Name)]
public sealed class KiotaClientTests(TrainedModelFixture fixture)
{
    // Kiota's ApiKeyAuthenticationProvider sends a key over https only; the test server is plain http on loopback,
    // so the key goes into the one request that needs it, as a header of that request
    static GenCdrClient Connect(RunningServer server) =>
        new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: server.Client) { BaseUrl = server.BaseUrl });

    [Fact]
    public async Task Recommend_add_an_item_with_the_key_and_read_a_user_through_the_generated_client()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory, RunningServer.KeyedOptions);
        var catalog = server.Bundle.Catalog;
        var client = Connect(server);

        var history = catalog.Histories[0].Select(e => new Api.HistoryEntry { Item = catalog.Item(e.Domain, e.Item).Id, Domain = catalog.DomainNames[e.Domain] }).ToList();
        var recommended = await client.V1.Recommend.PostAsync(new Api.RecommendRequest { History = history, Domain = "outdoor", K = 3 });
        Assert.NotNull(recommended);
        Assert.Equal(3, recommended.Items!.Count);
        Assert.All(recommended.Items, r => Assert.True(r.Domain == "outdoor" && catalog.TryFindItem(r.Item!, 0, out _), $"{r.Item} is not an outdoor item"));
        Assert.Equal(recommended.Items.Select(r => r.Score).OrderDescending(), recommended.Items.Select(r => r.Score));

        var added = await client.V1.Items.PostAsync(new Api.NewItem { Id = "CLIENT-1", Domain = "outdoor", Title = "Summitline Ridge 3 Tent", Categories = ["Tents"] },
            request => request.Headers.Add(GenCdr.Server.ApiKey.Header, RunningServer.TestKey));
        Assert.NotNull(added);
        Assert.True(added.Added);
        Assert.Equal(server.Bundle.Sids.Codes(0, catalog.ItemCount(0) - 1), added.Sid!.Select(c => c!.Value));
        var read = await client.V1.Items["CLIENT-1"].GetAsync(request => request.QueryParameters.Domain = "outdoor");
        Assert.Equal("Summitline Ridge 3 Tent", read!.Title);

        var refused = await Assert.ThrowsAsync<Api.ApiError>(() =>
            client.V1.Items.PostAsync(new Api.NewItem { Id = "CLIENT-2", Domain = "outdoor", Title = "No key" }));
        Assert.Equal(401, refused.ResponseStatusCode);
        Assert.Equal($"this endpoint needs the API key in the {GenCdr.Server.ApiKey.Header} header", refused.Error);

        string userId = catalog.UserIds[0];
        var user = await client.V1.Users[userId].GetAsync();
        Assert.Equal(userId, user!.Id);
        Assert.Equal(catalog.Histories[0].Select(e => catalog.Item(e.Domain, e.Item).Id), user.History!.Select(h => h.Item));
        var forUser = await client.V1.Users[userId].Recommendations.GetAsync(request =>
        {
            request.QueryParameters.Domain = "apparel";
            request.QueryParameters.K = 4;
        });
        Assert.Equal(4, forUser!.Items!.Count);
        Assert.All(forUser.Items, r => Assert.Equal("apparel", r.Domain));

        var unknown = await Assert.ThrowsAsync<Api.ApiError>(() => client.V1.Users["NOPE"].GetAsync());
        Assert.Equal(404, unknown.ResponseStatusCode);
        Assert.Equal("unknown user 'NOPE'", unknown.Error);
    }
}
