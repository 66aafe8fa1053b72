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
    readonly CancellationTokenSource _stopping = new();
    long _batches, _decoded, _largestBatch;

    public BatchingRecommender(DecodeBatch decode, BatchingOptions? options = null)
    {
        _decode = decode;
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
        if (_stopping.IsCancellationRequested || !_queue.Writer.TryWrite(work))
            throw new ServerBusyException(_stopping.IsCancellationRequested
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
            while (Wait(reader, _stopping.Token))
            {
                if (!reader.TryRead(out var first)) continue;
                if (first is ExclusiveWork exclusive) { exclusive.Run(); continue; }
                batch.Clear();
                batch.Add((RecommendWork)first);
                Collect(reader, batch);
                Decode(batch);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { }
        // Whatever is still queued will never be served.
        while (reader.TryRead(out var left))
        {
            if (left is RecommendWork r) r.Result.TrySetException(new ServerBusyException("the server is shutting down"));
            else if (left is ExclusiveWork e) e.Run(); // completes or faults its caller's task; never left hanging
        }
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
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(remaining);
            try
            {
                if (!Wait(reader, timeout.Token)) return;
            }
            catch (OperationCanceledException) when (!_stopping.IsCancellationRequested) { return; }
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
            var results = _decode(live.Select(w => w.Query).ToArray(), k);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _decoded, live.Count);
            if (live.Count > Interlocked.Read(ref _largestBatch)) Interlocked.Exchange(ref _largestBatch, live.Count);
            for (int i = 0; i < live.Count; i++)
                live[i].Result.TrySetResult(results[i].Take(live[i].K).ToArray());
        }
        catch (Exception e)
        {
            foreach (var w in live) w.Result.TrySetException(e);
        }
    }

    /// <summary>Whether <see cref="Dispose"/> has begun: no request is taken any more.</summary>
    public bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>Stops taking requests, lets the worker finish its current batch, and fails whatever still waits.</summary>
    public void Dispose()
    {
        if (_stopping.IsCancellationRequested) return;
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        _worker.Join();
        _stopping.Dispose();
    }
}
