using System.Net.Http.Json;
using GenCdr.Serving;

namespace GenCdr.Server;

/// <summary>What <c>gencdr bench serve</c> runs: concurrency levels and how long each lasts.</summary>
public sealed record ServeBenchmarkOptions
{
    public int[] Concurrency { get; init; } = [1, 8, 64];
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>When set, each level sends this many requests per client instead of lasting <see cref="Duration"/>.</summary>
    public int? RequestsPerClient { get; init; }
    /// <summary>Items per request.</summary>
    public int K { get; init; } = 10;
    /// <summary>History items sent with each POST /v1/recommend (the user's last ones).</summary>
    public int HistoryLength { get; init; } = 20;
    public int Seed { get; init; } = 1;
}

/// <summary>One level of the benchmark: the load result and the mean number of requests per decode call.</summary>
public sealed record ServeLevel(LoadResult Load, double MeanBatch);

/// <summary>
/// Starts the server over a bundle on a free loopback port and drives it with <see cref="LoadDriver"/> at each
/// concurrency level in turn. Requests alternate between GET /v1/users/{id}/recommendations (a known user's
/// history) and POST /v1/recommend (the same kind of history sent in the body), over users and domains in a
/// seeded order, so the whole path (HTTP, JSON, queue, batched decode) is measured.
/// </summary>
public static class ServeBenchmark
{
    const int WarmUpRequests = 8;

    public static async Task<IReadOnlyList<ServeLevel>> RunAsync(ModelBundle bundle, ServerOptions server, ServeBenchmarkOptions options,
        Action<ServeLevel>? onLevel = null, CancellationToken cancel = default)
    {
        var app = ServerApp.Build(bundle, server with { Urls = "http://127.0.0.1:0" });
        await app.StartAsync(cancel);
        try
        {
            var catalog = bundle.Catalog;
            var random = new Random(options.Seed);
            var plan = Enumerable.Range(0, 4096).Select(_ => (User: random.Next(catalog.UserIds.Count), Domain: random.Next(catalog.DomainCount))).ToArray();
            var bodies = plan.Select(p => new RecommendRequest(catalog.Histories[p.User].TakeLast(options.HistoryLength)
                .Select(e => new HistoryEntry(catalog.Item(e.Domain, e.Item).Id, catalog.DomainNames[e.Domain], e.Timestamp)).ToList(),
                catalog.DomainNames[p.Domain], options.K)).ToArray();
            HttpRequestMessage Request(int i)
            {
                int at = i % plan.Length;
                var (user, domain) = plan[at];
                if (i % 2 == 0)
                    return new HttpRequestMessage(HttpMethod.Get,
                        $"/v1/users/{Uri.EscapeDataString(catalog.UserIds[user])}/recommendations?domain={catalog.DomainNames[domain]}&k={options.K}");
                return new HttpRequestMessage(HttpMethod.Post, "/v1/recommend") { Content = JsonContent.Create(bodies[at]) };
            }
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 })
            {
                BaseAddress = new Uri(app.Urls.First()),
                Timeout = server.RequestTimeout + TimeSpan.FromSeconds(5),
            };
            await LoadDriver.RunAsync(client, Request, 1, LoadLength.Requests(WarmUpRequests), cancel); // JIT, first decodes
            var batcher = app.Services.GetRequiredService<ServedModel>().Batcher;
            var results = new List<ServeLevel>();
            foreach (int concurrency in options.Concurrency)
            {
                long batches = batcher.Batches, decoded = batcher.Decoded;
                var length = options.RequestsPerClient is { } n ? LoadLength.Requests(n) : LoadLength.For(options.Duration);
                var load = await LoadDriver.RunAsync(client, Request, concurrency, length, cancel);
                var level = new ServeLevel(load, (double)(batcher.Decoded - decoded) / Math.Max(1, batcher.Batches - batches));
                results.Add(level);
                onLevel?.Invoke(level);
            }
            return results;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }
}
