using GenCdr.Data;
using GenCdr.Decoding;
using GenCdr.Evaluation;
using GenCdr.Serving;

namespace GenCdr.Tests.Serving;

/// <summary>The micro-batching worker with a fake decoder: batching, per-request k, exclusive work, timeouts, limits.</summary>
public sealed class BatchingRecommenderTests
{
    sealed class FakeDecoder
    {
        public readonly List<int> BatchSizes = [];
        public readonly HashSet<int> Threads = [];
        public IReadOnlyList<IReadOnlyList<Recommendation>> Decode(IReadOnlyList<RecommendationQuery> queries, int k)
        {
            lock (BatchSizes) { BatchSizes.Add(queries.Count); Threads.Add(Environment.CurrentManagedThreadId); }
            // item = user * 1000 + rank, so each answer shows whose query it belongs to
            return queries.Select(q => (IReadOnlyList<Recommendation>)Enumerable.Range(0, k).Select(r => new Recommendation(q.User * 1000 + r, [r], -r)).ToArray()).ToArray();
        }
    }

    static RecommendationQuery Query(int user) => new(user, [new Event(0, 1, 0)], 0);

    [Fact]
    public async Task Concurrent_requests_share_one_decode_and_each_gets_its_own_k()
    {
        // the first decode holds the worker until all 8 requests are queued, so whatever the timing the rest fit in one more
        var fake = new FakeDecoder();
        var queued = new ManualResetEventSlim();
        using var batcher = new BatchingRecommender((q, k) => { queued.Wait(); return fake.Decode(q, k); },
            new BatchingOptions { MaxBatch = 8, MaxWaitMilliseconds = 0 });
        var tasks = Enumerable.Range(0, 8).Select(u => batcher.RecommendAsync(Query(u), 1 + u % 3)).ToArray();
        queued.Set();
        var results = await Task.WhenAll(tasks);
        for (int u = 0; u < 8; u++)
        {
            Assert.Equal(1 + u % 3, results[u].Count);
            Assert.All(results[u], r => Assert.Equal(u, r.Item / 1000));
        }
        Assert.Equal(8, fake.BatchSizes.Sum());
        Assert.True(fake.BatchSizes.Count <= 2, $"8 requests in {fake.BatchSizes.Count} decodes");
        Assert.All(fake.BatchSizes, s => Assert.InRange(s, 1, 8));
    }

    [Fact]
    public async Task Batches_never_exceed_the_maximum()
    {
        var fake = new FakeDecoder();
        using var batcher = new BatchingRecommender(fake.Decode, new BatchingOptions { MaxBatch = 3, MaxWaitMilliseconds = 50 });
        await Task.WhenAll(Enumerable.Range(0, 10).Select(u => batcher.RecommendAsync(Query(u), 2)));
        Assert.Equal(10, fake.BatchSizes.Sum());
        Assert.All(fake.BatchSizes, s => Assert.InRange(s, 1, 3));
        Assert.Single(fake.Threads); // one worker thread touches the model
    }

    [Fact]
    public async Task Exclusive_work_runs_on_the_worker_between_batches()
    {
        var fake = new FakeDecoder();
        using var batcher = new BatchingRecommender(fake.Decode);
        await batcher.RecommendAsync(Query(1), 1);
        int thread = await batcher.RunExclusiveAsync(() => Environment.CurrentManagedThreadId);
        Assert.Equal(fake.Threads.Single(), thread);
        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.RunExclusiveAsync<int>(() => throw new InvalidOperationException("boom")));
    }

    [Fact]
    public async Task A_request_that_times_out_while_waiting_is_cancelled_and_dropped()
    {
        var gate = new ManualResetEventSlim();
        var decodedUsers = new List<int>();
        using var batcher = new BatchingRecommender((q, k) =>
        {
            gate.Wait(); // the first decode holds the worker until the second request has timed out
            lock (decodedUsers) decodedUsers.AddRange(q.Select(x => x.User));
            return q.Select(_ => (IReadOnlyList<Recommendation>)[]).ToArray();
        }, new BatchingOptions { MaxBatch = 1, MaxWaitMilliseconds = 0 });
        var slow = batcher.RecommendAsync(Query(1), 1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batcher.RecommendAsync(Query(2), 1, timeout.Token));
        gate.Set();
        await slow;
        await batcher.RecommendAsync(Query(3), 1);
        Assert.Equal([1, 3], decodedUsers); // the cancelled request was never decoded
    }

    [Fact]
    public async Task A_full_queue_refuses_new_requests_and_a_decode_error_fails_its_batch()
    {
        var gate = new ManualResetEventSlim();
        var started = new ManualResetEventSlim();
        using var batcher = new BatchingRecommender((q, k) => { started.Set(); gate.Wait(); throw new InvalidOperationException("decode failed"); },
            new BatchingOptions { MaxBatch = 1, MaxWaitMilliseconds = 0, QueueCapacity = 2 });
        var first = batcher.RecommendAsync(Query(1), 1);
        Assert.True(started.Wait(TimeSpan.FromSeconds(10))); // the worker holds the first one
        var queued = new[] { batcher.RecommendAsync(Query(2), 1), batcher.RecommendAsync(Query(3), 1) };
        Assert.Throws<ServerBusyException>(() => { _ = batcher.RecommendAsync(Query(4), 1); }); // refused synchronously, before queueing
        gate.Set();
        Assert.Equal("decode failed", (await Assert.ThrowsAsync<InvalidOperationException>(() => first)).Message);
        foreach (var q in queued) await Assert.ThrowsAsync<InvalidOperationException>(() => q);
    }

    /// <summary>The decode of the first request holds the worker while the stop begins, so the second one is still
    /// queued then: both are answered, and only work that comes after the stop is refused.</summary>
    [Fact]
    public async Task Stopping_refuses_new_work_but_answers_all_that_was_queued()
    {
        var gate = new ManualResetEventSlim();
        var started = new ManualResetEventSlim();
        var fake = new FakeDecoder();
        var batcher = new BatchingRecommender((q, k) => { started.Set(); gate.Wait(); return fake.Decode(q, k); },
            new BatchingOptions { MaxBatch = 1, MaxWaitMilliseconds = 0 });
        var first = batcher.RecommendAsync(Query(1), 1);
        Assert.True(started.Wait(TimeSpan.FromSeconds(10))); // the worker is decoding the first one
        var waiting = batcher.RecommendAsync(Query(2), 2);
        var stopped = batcher.StopAsync();
        Assert.Equal("the server is shutting down", Assert.Throws<ServerBusyException>(() => { _ = batcher.RecommendAsync(Query(3), 1); }).Message);
        Assert.False(stopped.IsCompleted); // the worker still holds the first decode
        gate.Set();
        await stopped;
        Assert.Equal(1, Assert.Single(await first).Item / 1000);
        Assert.All(await waiting, r => Assert.Equal(2, r.Item / 1000));
        Assert.Equal([1, 1], fake.BatchSizes);
        batcher.Dispose(); // after a stop: returns at once
    }

    sealed class RecordingObserver : IBatchObserver
    {
        public readonly List<int> Sizes = [];
        public void BatchDecoded(int requests, TimeSpan elapsed)
        {
            Assert.True(elapsed >= TimeSpan.Zero);
            lock (Sizes) Sizes.Add(requests);
        }
    }

    [Fact]
    public async Task Observers_see_each_batch_before_its_callers_get_their_answers()
    {
        var observer = new RecordingObserver();
        var queued = new ManualResetEventSlim();
        var fake = new FakeDecoder();
        using var batcher = new BatchingRecommender((q, k) => { queued.Wait(); return fake.Decode(q, k); },
            new BatchingOptions { MaxBatch = 4, MaxWaitMilliseconds = 0 }, [observer]);
        var tasks = Enumerable.Range(0, 4).Select(u => batcher.RecommendAsync(Query(u), 1)).ToArray();
        queued.Set();
        await Task.WhenAll(tasks);
        lock (observer.Sizes) Assert.Equal(fake.BatchSizes, observer.Sizes); // already recorded when the last answer came
        Assert.Equal(4, observer.Sizes.Sum());
    }
}
