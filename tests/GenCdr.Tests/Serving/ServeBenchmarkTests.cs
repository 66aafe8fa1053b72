using GenCdr.Server;
using GenCdr.Serving;

namespace GenCdr.Tests.Serving;

[Collection(TrainedModelCollection.Name)]
public sealed class ServeBenchmarkTests(TrainedModelFixture fixture)
{
    [Fact]
    public async Task The_benchmark_drives_every_level_without_errors_and_reports_ordered_percentiles()
    {
        using var bundle = ModelBundle.Load(fixture.BundleDirectory);
        var results = await ServeBenchmark.RunAsync(bundle, new ServerOptions(),
            new ServeBenchmarkOptions { Concurrency = [1, 4], RequestsPerClient = 6, K = 5 });
        Assert.Equal([1, 4], results.Select(l => l.Load.Concurrency));
        Assert.Equal(1.0, results[0].MeanBatch, 6); // one client: never more than one request per decode
        Assert.InRange(results[1].MeanBatch, 1.0, 4.0);
        Assert.All(results.Select(l => l.Load), r =>
        {
            Assert.True(r.Errors == 0, r.FirstError);
            Assert.Equal(6 * r.Concurrency, r.Requests); // a fixed amount of work, whatever the machine's speed
            Assert.True(r.P50Ms <= r.P95Ms && r.P95Ms <= r.P99Ms);
            Assert.Equal(r.Requests / r.Seconds, r.RequestsPerSecond, 6);
        });
    }

    [Fact]
    public async Task The_load_driver_counts_failed_requests_as_errors()
    {
        await using var server = await RunningServer.StartAsync(fixture.BundleDirectory);
        var result = await LoadDriver.RunAsync(server.Client, _ => new HttpRequestMessage(HttpMethod.Get, "/v1/items/NO-SUCH-ITEM"), 2, LoadLength.Requests(3));
        Assert.Equal(6, result.Errors);
        Assert.Equal(0, result.Requests);
        Assert.Contains("404", result.FirstError);
    }

    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.Equal(5, LoadDriver.Percentile(sorted, 0.50));
        Assert.Equal(10, LoadDriver.Percentile(sorted, 0.95));
        Assert.Equal(1, LoadDriver.Percentile(sorted, 0.01));
        Assert.True(double.IsNaN(LoadDriver.Percentile([], 0.5)));
    }
}
