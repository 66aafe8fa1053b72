namespace GenCdr.Serving;

/// <summary>How the serving worker groups concurrent requests into one decode (not a model hyper-parameter).</summary>
public sealed record BatchingOptions
{
    /// <summary>Requests decoded together at most. The beam search is batched over users, so a batch of 32
    /// costs far less than 32 single decodes; 32 keeps one batch's latency low on a CPU.</summary>
    public int MaxBatch { get; init; } = 32;
    /// <summary>How long the worker waits for more requests after the first one of a batch (ms): the latency
    /// a lone request pays for the chance to share a decode.</summary>
    public int MaxWaitMilliseconds { get; init; } = 5;
    /// <summary>Requests waiting at most; beyond it new requests are refused (HTTP 503) instead of queueing
    /// without bound.</summary>
    public int QueueCapacity { get; init; } = 1024;

    public void Validate()
    {
        if (MaxBatch < 1) throw new GenCdrException($"batching: MaxBatch must be at least 1, got {MaxBatch}");
        if (MaxWaitMilliseconds < 0) throw new GenCdrException($"batching: MaxWaitMilliseconds must be ≥ 0, got {MaxWaitMilliseconds}");
        if (QueueCapacity < 1) throw new GenCdrException($"batching: QueueCapacity must be at least 1, got {QueueCapacity}");
    }
}
