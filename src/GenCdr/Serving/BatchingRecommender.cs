using System.Diagnostics;
using System.Threading.Channels;
using GenCdr.Decoding;
using GenCdr.Evaluation;

namespace GenCdr.Serving;

/// <summary>
/// Micro-batching in front of a recommender that must not be used concurrently (GenCdrRecommender keeps
/// TorchSharp state). Requests from any thread go into one queue; a single dedicated worker thread takes the
/// first waiting request, keeps collecting until it has <see cref="BatchingOptions.MaxBatch"/> requests or
/// <see cref="BatchingOptions.MaxWaitMilliseconds"/> have passed, then decodes them in ONE call with the
/// batch's largest k (each request gets its own top-k from it). Other work that touches the model (adding an
/// item) goes through the same queue and runs alone on the worker, between batches, so nothing else ever
/// touches the model. A request cancelled while it waits (timeout, client gone) is dropped from its batch.
/// Stopping (<see cref="StopAsync"/>, <see cref="Dispose"/>) refuses new work but still serves all that was
/// queued: on a server's shutdown the requests in flight get their answers.
/// </summary>
public sealed class BatchingRecommender : IDisposable
{
    /// <summary>The batched decode: queries and k → per query the items, best first.</summary>
    public delegate IReadOnlyList<IReadOnlyList<Recommendation>> DecodeBatch(IReadOnlyList<RecommendationQuery> queries, int k);

    abstract record Work;
    sealed record RecommendWork(RecommendationQuery Query, int K, TaskCompletionSource<IReadOnlyList<Recommendation>> Result) : Work;
    sealed record ExclusiveWork(Action Run) : Work;

    readonly DecodeBatch _decode;
    readonly BatchingOptions _options;
    readonly Channel<Work> _queue;
    readonly Thread _worker;
    readonly IBatchObserver[] _observers;
    readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    volatile bool _closed;
    long _batches, _decoded, _largestBatch;

    public BatchingRecommender(DecodeBatch decode, BatchingOptions? options = null, IEnumerable<IBatchObserver>? observers = null)
    {
        _decode = decode;
        _observers = observers?.ToArray() ?? [];
        _options = options ?? new BatchingOptions();
        _options.Validate();
        _queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the caller gets a 503
        });
        _worker = new Thread(Loop) { IsBackground = true, Name = "gencdr-decode-worker" };
        _worker.Start();
    }

    /// <summary>Decode calls so far, requests decoded in them, and the largest batch.</summary>
    public long Batches => Interlocked.Read(ref _batches);
    public long Decoded => Interlocked.Read(ref _decoded);
    public long LargestBatch => Interlocked.Read(ref _largestBatch);
    /// <summary>Work waiting in the queue now (not counting the batch being collected or decoded).</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Queues a query; completes with its top-k when its batch was decoded.</summary>
    /// <exception cref="ServerBusyException">the queue is full or the worker stopped</exception>
    public Task<IReadOnlyList<Recommendation>> RecommendAsync(RecommendationQuery query, int k, CancellationToken cancel = default)
    {
        var result = new TaskCompletionSource<IReadOnlyList<Recommendation>>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new RecommendWork(query, k, result));
        return WithCancellation(result, cancel);
    }

    /// <summary>Runs <paramref name="action"/> on the worker between batches (for anything that changes the model's
    /// items) and returns its result.</summary>
    public Task<T> RunExclusiveAsync<T>(Func<T> action, CancellationToken cancel = default)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new ExclusiveWork(() =>
        {
            if (result.Task.IsCompleted) return;
            try { result.TrySetResult(action()); }
            catch (Exception e) { result.TrySetException(e); }
        }));
        return WithCancellation(result, cancel);
    }

    void Enqueue(Work work)
    {
        if (_closed || !_queue.Writer.TryWrite(work))
            throw new ServerBusyException(_closed
                ? "the server is shutting down"
                : $"too many requests waiting ({_options.QueueCapacity}); retry later");
    }

    static Task<T> WithCancellation<T>(TaskCompletionSource<T> result, CancellationToken cancel)
    {
        if (cancel.CanBeCanceled)
        {
            var registration = cancel.Register(() => result.TrySetCanceled(cancel));
            result.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }
        return result.Task;
    }

    void Loop()
    {
        var reader = _queue.Reader;
        var batch = new List<RecommendWork>(_options.MaxBatch);
        try
        {
            // ends once the queue is closed AND empty: whatever was queued before the stop is still served
            while (Wait(reader, CancellationToken.None))
            {
                if (!reader.TryRead(out var first)) continue;
                if (first is ExclusiveWork exclusive) { exclusive.Run(); continue; }
                batch.Clear();
                batch.Add((RecommendWork)first);
                Collect(reader, batch);
                Decode(batch);
            }
        }
        finally { _stopped.TrySetResult(); }
    }

    /// <summary>Adds waiting requests to the batch until it is full or the wait since its first request is over;
    /// stops at exclusive work, which must not run inside a batch.</summary>
    void Collect(ChannelReader<Work> reader, List<RecommendWork> batch)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(_options.MaxWaitMilliseconds);
        while (batch.Count < _options.MaxBatch)
        {
            if (reader.TryPeek(out var next))
            {
                if (next is not RecommendWork) return;
                reader.TryRead(out _);
                batch.Add((RecommendWork)next);
                continue;
            }
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) return;
            using var timeout = new CancellationTokenSource(remaining);
            try
            {
                if (!Wait(reader, timeout.Token)) return; // closed: decode what we have
            }
            catch (OperationCanceledException) { return; }
        }
    }

    static bool Wait(ChannelReader<Work> reader, CancellationToken cancel) =>
        reader.WaitToReadAsync(cancel).AsTask().GetAwaiter().GetResult();

    void Decode(List<RecommendWork> batch)
    {
        var live = batch.Where(w => !w.Result.Task.IsCompleted).ToList(); // drop timed-out / abandoned requests
        if (live.Count == 0) return;
        try
        {
            int k = live.Max(w => w.K);
            long start = Stopwatch.GetTimestamp();
            var results = _decode(live.Select(w => w.Query).ToArray(), k);
            var elapsed = Stopwatch.GetElapsedTime(start);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _decoded, live.Count);
            if (live.Count > Interlocked.Read(ref _largestBatch)) Interlocked.Exchange(ref _largestBatch, live.Count);
            foreach (var observer in _observers) observer.BatchDecoded(live.Count, elapsed);
            for (int i = 0; i < live.Count; i++)
                live[i].Result.TrySetResult(results[i].Take(live[i].K).ToArray());
        }
        catch (Exception e)
        {
            foreach (var w in live) w.Result.TrySetException(e);
        }
    }

    /// <summary>Stops taking work at once (new requests get <see cref="ServerBusyException"/>); completes when the
    /// worker has served everything queued before (the batch in progress and the waiting requests are decoded, not
    /// failed) and exited.</summary>
    public Task StopAsync()
    {
        _closed = true;
        _queue.Writer.TryComplete();
        return _stopped.Task;
    }

    /// <summary><see cref="StopAsync"/>, waiting for the worker to exit.</summary>
    public void Dispose()
    {
        StopAsync().GetAwaiter().GetResult();
        _worker.Join();
    }
}
