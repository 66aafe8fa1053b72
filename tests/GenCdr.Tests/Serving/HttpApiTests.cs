using System.Net;
using System.Text;
using System.Text.Json;
using GenCdr.Evaluation;

namespace GenCdr.Tests.Serving;

[Collection(TrainedModelCollection.Name)]
public sealed class HttpApiTests(TrainedModelFixture fixture)
{
    [Fact]
    public async Task Recommend_returns_k_items_of_the_domain_with_titles_sids_and_scores_best_first()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory);
        var catalog = server.Bundle.Catalog;
        var history = catalog.Histories[0].Take(6).Select(e => new { item = catalog.Item(e.Domain, e.Item).Id, domain = catalog.DomainNames[e.Domain] }).ToArray();
        var (status, body) = await server.Post("/v1/recommend", new { history, domain = "apparel", k = 7 });
        Assert.Equal(200, status);
        var items = body.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(7, items.Length);
        Assert.All(items, i => Assert.Equal("apparel", i.GetProperty("domain").GetString()));
        Assert.All(items, i => Assert.Equal(4, i.GetProperty("sid").GetArrayLength()));
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i.GetProperty("title").GetString())));
        var scores = items.Select(i => i.GetProperty("score").GetDouble()).ToArray();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.Equal(items.Length, items.Select(i => i.GetProperty("item").GetString()).Distinct().Count());
        Assert.Empty(body.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task Recommendations_over_http_match_a_direct_decode()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory);
        var catalog = server.Bundle.Catalog;
        var user = catalog.UserIds[3];
        var body = await server.GetJson($"/v1/users/{user}/recommendations?domain=outdoor&k=5");
        var direct = server.Bundle.Recommender.Decode([new RecommendationQuery(3, catalog.Histories[3], 0)], 5).PerUser[0];
        Assert.Equal(direct.Select(r => catalog.Item(0, r.Item).Id), body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()));
    }

    [Fact]
    public async Task Unknown_history_items_are_skipped_and_listed_in_warnings()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory);
        var known = server.Bundle.Catalog.Item(0, 0).Id;
        var (status, body) = await server.Post("/v1/recommend", new
        {
            history = new object[] { new { item = "NO-SUCH-ITEM" }, new { item = known, domain = "outdoor", timestamp = 5 }, new { item = known, domain = "nowhere" } },
            domain = "outdoor",
            k = 3,
        });
        Assert.Equal(200, status);
        var warnings = body.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToArray();
        Assert.Equal(2, warnings.Length);
        Assert.Contains(warnings, w => w.Contains("NO-SUCH-ITEM"));
        Assert.Contains(warnings, w => w.Contains("nowhere"));
        Assert.Equal(3, body.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("{\"history\":[],\"domain\":\"outdoor\",\"k\":101}", "'k' must be between 1 and 100")]
    [InlineData("{\"history\":[],\"domain\":\"outdoor\",\"k\":0}", "'k' must be between 1 and 100")]
    [InlineData("{\"history\":[],\"domain\":\"garden\"}", "unknown domain 'garden'")]
    [InlineData("{\"history\":[]}", "'domain' is required")]
    [InlineData("{\"domain\":\"outdoor\"}", "'history' is required")]
    [InlineData("{\"history\":[", "not valid JSON")]
    [InlineData("null", "empty")]
    public async Task Bad_requests_get_400_saying_what_is_wrong(string json, string expected)
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory);
        var response = await server.Client.PostAsync("/v1/recommend", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task Too_long_histories_and_too_large_bodies_are_refused_with_400()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory, new GenCdr.Server.ServerOptions { MaxHistory = 3, MaxBodyBytes = 2000 });
        var item = server.Bundle.Catalog.Item(0, 0).Id;
        var (status, body) = await server.Post("/v1/recommend", new { history = Enumerable.Repeat(new { item }, 4), domain = "outdoor" });
        Assert.Equal(400, status);
        Assert.Contains("limit is 3", body.GetProperty("error").GetString());
        (status, body) = await server.Post("/v1/recommend", new { history = new[] { new { item = new string('x', 3000) } }, domain = "outdoor" });
        Assert.Equal(400, status);
        Assert.Contains("2000 bytes", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Items_domains_users_health_and_openapi_are_served()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory);
        var catalog = server.Bundle.Catalog;
        var first = catalog.Item(1, 2);
        var item = await server.GetJson($"/v1/items/{first.Id}?domain=apparel");
        Assert.Equal(first.Text.Title, item.GetProperty("title").GetString());
        Assert.Equal(server.Bundle.Sids.Codes(1, 2), item.GetProperty("sid").EnumerateArray().Select(c => c.GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/v1/items/NOPE")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/v1/users/NOPE/recommendations?domain=outdoor")).StatusCode);

        var domains = await server.GetJson("/v1/domains");
        Assert.Equal([catalog.ItemCount(0), catalog.ItemCount(1)], domains.EnumerateArray().Select(d => d.GetProperty("items").GetInt32()));

        var user = await server.GetJson($"/v1/users/{catalog.UserIds[0]}");
        Assert.Equal(catalog.Histories[0].Length, user.GetProperty("history").GetArrayLength());
        var users = await server.GetJson("/v1/users?query=U00&limit=5");
        Assert.Equal(5, users.GetProperty("users").GetArrayLength());

        Assert.Equal("ok", (await server.GetJson("/health")).GetProperty("status").GetString());
        var openApi = await server.GetJson("/openapi/v1.json");
        var paths = openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/v1/recommend", paths);
        Assert.Contains("/v1/items/{id}/neighbours", paths);
        // every operation is named (a generated client gets these names) and summarised, names unique (issue #16)
        var operations = openApi.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value))).ToList();
        Assert.All(operations, o => Assert.True(o.Operation.TryGetProperty("operationId", out _) && o.Operation.TryGetProperty("summary", out _),
            $"{o.Method} {o.Path} has no operationId or summary"));
        var ids = operations.Select(o => o.Operation.GetProperty("operationId").GetString()).ToList();
        Assert.Equal(ids.Distinct(), ids);
    }

    [Fact]
    public async Task Neighbours_share_the_requested_sid_prefix()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory);
        var id = server.Bundle.Catalog.Item(0, 0).Id;
        var sid = server.Bundle.Sids.Codes(0, 0);
        var body = await server.GetJson($"/v1/items/{id}/neighbours?domain=outdoor&prefix=2");
        var items = body.GetProperty("items").EnumerateArray().ToArray();
        Assert.Contains(items, i => i.GetProperty("id").GetString() == id);
        Assert.All(items, i => Assert.Equal(sid[..2], i.GetProperty("sid").EnumerateArray().Take(2).Select(c => c.GetInt32())));
        int expected = Enumerable.Range(0, server.Bundle.Catalog.ItemCount(0)).Count(i => server.Bundle.Sids.Codes(0, i).AsSpan(0, 2).SequenceEqual(sid.AsSpan(0, 2)));
        Assert.Equal(expected, body.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.GetAsync($"/v1/items/{id}/neighbours?prefix=9")).StatusCode);
    }

    /// <summary>The worker waits for a full batch of 16 (the wait, 10 min, never runs out in a test), so 16 concurrent
    /// requests are decoded in exactly one call, however fast or slow the machine is.</summary>
    [Fact]
    public async Task Concurrent_requests_are_decoded_together_in_one_batch()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory,
            new GenCdr.Server.ServerOptions { Batching = new GenCdr.Serving.BatchingOptions { MaxBatch = 16, MaxWaitMilliseconds = 600_000 } });
        var catalog = server.Bundle.Catalog;
        var tasks = Enumerable.Range(0, 16).Select(u => server.GetJson($"/v1/users/{catalog.UserIds[u]}/recommendations?domain=apparel&k=4")).ToArray();
        var answers = await Task.WhenAll(tasks);
        Assert.All(answers, a => Assert.Equal(4, a.GetProperty("items").GetArrayLength()));
        var batcher = server.App.Services.GetService(typeof(GenCdr.Server.ServedModel)) as GenCdr.Server.ServedModel;
        Assert.Equal(16, batcher!.Batcher.Decoded);
        Assert.Equal(1, batcher.Batcher.Batches);
        Assert.Equal(16, batcher.Batcher.LargestBatch);
    }

    /// <summary>A lone request waits for company that never comes (a 10-minute wait for a batch of 2), so its 200 ms budget
    /// runs out first: the order of the two events does not depend on the machine's speed.</summary>
    [Fact]
    public async Task A_request_that_outlives_its_timeout_gets_504()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory, new GenCdr.Server.ServerOptions
        {
            RequestTimeout = TimeSpan.FromMilliseconds(200),
            Batching = new GenCdr.Serving.BatchingOptions { MaxBatch = 2, MaxWaitMilliseconds = 600_000 },
        });
        var response = await server.Client.GetAsync($"/v1/users/{server.Bundle.Catalog.UserIds[0]}/recommendations?domain=outdoor");
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("within 200 ms", await response.Content.ReadAsStringAsync());
    }
}
