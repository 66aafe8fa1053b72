using System.Diagnostics;

namespace GenCdr.Serving;

/// <summary>One load level: requests completed, errors, throughput and latency percentiles (ms).</summary>
public sealed record LoadResult(int Concurrency, int Requests, int Errors, double Seconds, double RequestsPerSecond,
    double P50Ms, double P95Ms, double P99Ms, string? FirstError);

/// <summary>How long a load level lasts: a wall-clock duration (a benchmark's throughput), or a fixed number of requests
/// per client (the same work on any machine, which is what a test needs).</summary>
public readonly record struct LoadLength(TimeSpan? Duration, int? RequestsPerClient)
{
    public static LoadLength For(TimeSpan duration) => new(duration, null);
    public static LoadLength Requests(int perClient) => perClient >= 1 ? new(null, perClient)
        : throw new GenCdrException($"load: requests per client must be at least 1, got {perClient}");
}

/// <summary>
/// A closed-loop HTTP load generator: <c>concurrency</c> clients each send a request, wait for the answer, and
/// send the next, for a fixed time or a fixed number of requests (<see cref="LoadLength"/>). Latency is measured per request from sending to the last byte of the body;
/// any non-2xx answer or exception counts as an error (and the first is kept for the report).
/// </summary>
public static class LoadDriver
{
    /// <param name="makeRequest">builds request number i (a fresh message each time)</param>
    public static async Task<LoadResult> RunAsync(HttpClient client, Func<int, HttpRequestMessage> makeRequest, int concurrency,
        LoadLength length, CancellationToken cancel = default)
    {
        if (concurrency < 1) throw new GenCdrException($"load: concurrency must be at least 1, got {concurrency}");
        int next = -1, errors = 0;
        string? firstError = null;
        var latencies = new List<double>[concurrency];
        var clock = Stopwatch.StartNew();
        async Task Client(int c)
        {
            var mine = latencies[c] = [];
            for (int sent = 0; !cancel.IsCancellationRequested; sent++)
            {
                if (length.Duration is { } duration && clock.Elapsed >= duration) break;
                if (length.RequestsPerClient is { } requests && sent >= requests) break;
                using var request = makeRequest(Interlocked.Increment(ref next));
                long start = Stopwatch.GetTimestamp();
                string? error = null;
                try
                {
                    using var response = await client.SendAsync(request, cancel);
                    var body = await response.Content.ReadAsStringAsync(cancel);
                    if (!response.IsSuccessStatusCode) error = $"{(int)response.StatusCode} {request.Method} {request.RequestUri}: {body}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    if (cancel.IsCancellationRequested) break;
                    error = $"{request.Method} {request.RequestUri}: {e.GetType().Name}: {e.Message}";
                }
                if (error is not null)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, error, null);
                    continue;
                }
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(c => Task.Run(() => Client(c), cancel)));
        double seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(concurrency, all.Length, errors, seconds, all.Length / seconds,
            Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99), firstError);
    }

    /// <summary>Nearest-rank percentile of sorted values (NaN when there are none).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return double.NaN;
        int rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
