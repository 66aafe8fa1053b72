using GenCdr.Serving;
using Prometheus;

namespace GenCdr.Server;

/// <summary>
/// The server's own Prometheus metrics (the HTTP ones, requests by route and status and their latency, come from
/// prometheus-net's middleware into the same registry). A registry per server rather than the process-wide default,
/// so that two servers in one process (the tests, <c>gencdr bench serve</c>) count apart.
/// </summary>
public sealed class ServerMetrics : IBatchObserver
{
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();
    public IMetricFactory Factory { get; }

    readonly Histogram _batchSize;
    readonly Histogram _decodeSeconds;
    readonly Counter _itemsAdded;

    public ServerMetrics(ServerOptions options)
    {
        Factory = Metrics.WithCustomRegistry(Registry);
        int maxBatch = options.Batching.MaxBatch;
        _batchSize = Factory.CreateHistogram("gencdr_batch_size", "Requests decoded together in one call of the micro-batcher.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, (int)Math.Ceiling(Math.Log2(maxBatch)) + 1) });
        _decodeSeconds = Factory.CreateHistogram("gencdr_decode_duration_seconds", "Duration of one batched decode (beam search) in seconds.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) }); // 1 ms … 8 s
        _itemsAdded = Factory.CreateCounter("gencdr_items_added_total", "Items added with POST /v1/items since the server started.",
            new CounterConfiguration { LabelNames = ["domain"] });
    }

    /// <summary>Gauges read from <paramref name="model"/> at each scrape: the queue depth and whether the model is loaded.</summary>
    public void Watch(ServedModel model)
    {
        var queueDepth = Factory.CreateGauge("gencdr_queue_depth", "Requests waiting for the micro-batcher's worker.");
        var ready = Factory.CreateGauge("gencdr_model_ready", "1 once the model bundle is loaded, else 0.");
        Registry.AddBeforeCollectCallback(() =>
        {
            queueDepth.Set(model.Batcher.QueueDepth);
            ready.Set(model.IsReady ? 1 : 0);
        });
    }

    public void BatchDecoded(int requests, TimeSpan elapsed)
    {
        _batchSize.Observe(requests);
        _decodeSeconds.Observe(elapsed.TotalSeconds);
    }

    public void ItemAdded(string domain) => _itemsAdded.WithLabels(domain).Inc();
}
