using System.Globalization;
using System.Text.RegularExpressions;

namespace GenCdr.Tests.Serving;

/// <summary>/metrics in Prometheus text format, scraped after requests whose number the test knows.</summary>
[Collection(TrainedModelCollection.Name)]
public sealed class MetricsTests(TrainedModelFixture fixture)
{
    /// <summary>The value of the one sample named <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    static double Sample(string metrics, string name, params string[] labels)
    {
        var matches = metrics.Split('\n').Where(line => line.StartsWith(name + "{") || line.StartsWith(name + " "))
            .Where(line => labels.All(line.Contains)).ToList();
        Assert.True(matches.Count == 1, $"{matches.Count} samples of {name} with {string.Join(", ", labels)} in:\n{metrics}");
        return double.Parse(matches[0][(matches[0].LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task After_a_few_requests_the_scrape_counts_them_by_route_and_status_with_latency_histograms()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory, RunningServer.KeyedOptions);
        var catalog = server.Bundle.Catalog;
        const string route = "endpoint=\"/v1/users/{id}/recommendations\"";
        for (int u = 0; u < 3; u++)
            await server.GetJson($"/v1/users/{catalog.UserIds[u]}/recommendations?domain=outdoor&k=3"); // one at a time: 3 batches of 1
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await server.Client.GetAsync("/v1/items/NO-SUCH-ITEM")).StatusCode);
        var (status, _) = await server.Post("/v1/items", new { id = "METERED", domain = "apparel", title = "Lightweight merino wool hiking socks" }, RunningServer.TestKey);
        Assert.Equal(201, status);

        var response = await server.Client.GetAsync("/metrics");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
        string metrics = await response.Content.ReadAsStringAsync();

        Assert.Equal(3, Sample(metrics, "http_requests_received_total", route, "code=\"200\"", "method=\"GET\""));
        Assert.Equal(1, Sample(metrics, "http_requests_received_total", "endpoint=\"/v1/items/{id}\"", "code=\"404\""));
        Assert.Equal(1, Sample(metrics, "http_requests_received_total", "endpoint=\"/v1/items\"", "code=\"201\"", "method=\"POST\""));
        Assert.Equal(3, Sample(metrics, "http_request_duration_seconds_count", route, "code=\"200\""));
        Assert.Equal(3, Sample(metrics, "http_request_duration_seconds_bucket", route, "code=\"200\"", "le=\"+Inf\""));
        Assert.True(Regex.Matches(metrics, $"http_request_duration_seconds_bucket\\{{[^}}]*{Regex.Escape(route)}").Count > 5, "a latency histogram has buckets");

        Assert.Equal(3, Sample(metrics, "gencdr_batch_size_count"));
        Assert.Equal(3, Sample(metrics, "gencdr_batch_size_sum"));
        Assert.Equal(3, Sample(metrics, "gencdr_batch_size_bucket", "le=\"1\""));
        Assert.Equal(3, Sample(metrics, "gencdr_decode_duration_seconds_count"));
        Assert.True(Sample(metrics, "gencdr_decode_duration_seconds_sum") > 0);
        Assert.Equal(1, Sample(metrics, "gencdr_items_added_total", "domain=\"apparel\""));
        Assert.Equal(0, Sample(metrics, "gencdr_queue_depth"));
        Assert.Equal(1, Sample(metrics, "gencdr_model_ready"));
    }
}
