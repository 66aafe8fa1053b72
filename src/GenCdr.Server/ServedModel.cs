using GenCdr.Data;
using GenCdr.Decoding;
using GenCdr.Evaluation;
using GenCdr.Serving;

namespace GenCdr.Server;

/// <summary>
/// The bundle as the endpoints see it, once it is loaded (<see cref="IsReady"/>: the server listens while it loads,
/// and the endpoints that read it answer 503 until then). Decoding and adding items run on the
/// <see cref="BatchingRecommender"/>'s single worker (the only code that touches TorchSharp); the catalog and
/// SIDs are read by request threads under a read lock and changed (new items) only under the write lock.
/// </summary>
public sealed class ServedModel : IDisposable
{
    readonly Task<ModelBundle> _loading;
    readonly ServerOptions _options;
    readonly ServerMetrics _metrics;
    readonly ReaderWriterLockSlim _lock = new();

    public BatchingRecommender Batcher { get; }
    public ItemCatalog Catalog => Bundle.Catalog;
    public string Name => Bundle.Manifest.Name;

    /// <param name="observers">of the micro-batcher, the metrics among them</param>
    public ServedModel(Task<ModelBundle> loading, ServerOptions options, ServerMetrics metrics, IEnumerable<IBatchObserver> observers)
    {
        _loading = loading;
        _options = options;
        _metrics = metrics;
        Batcher = new BatchingRecommender((queries, k) => Bundle.Recommender.Decode(queries, k).PerUser, options.Batching, observers);
    }

    /// <summary>The bundle has loaded: the endpoints that read it may run.</summary>
    public bool IsReady => _loading.IsCompletedSuccessfully;

    /// <summary>Which model is served, for the OpenAPI document's version: the data set's name and the start of the
    /// recommender weights' SHA-256 (two exports of the same training share it; a retrained model does not).
    /// Null until <see cref="IsReady"/>.</summary>
    public string? Version =>
        !IsReady ? null
        : Bundle.Manifest.Files.TryGetValue(BundleLayout.RecommenderWeights, out var sha) ? $"{Name}, weights sha256:{sha[..Math.Min(12, sha.Length)]}"
        : Name;

    /// <summary>Why the endpoints cannot read the model yet (null once <see cref="IsReady"/>).</summary>
    public string? NotReadyReason =>
        _loading.IsCompletedSuccessfully ? null
        : _loading.IsFaulted ? $"the model bundle failed to load: {_loading.Exception!.GetBaseException().Message}"
        : _loading.IsCanceled ? "the model bundle's load was cancelled"
        : StillLoading;

    /// <summary>The reason while the bundle loads (also the OpenAPI document's 503 example).</summary>
    public const string StillLoading = "the model bundle is still loading";

    ModelBundle Bundle => IsReady ? _loading.Result : throw new InvalidOperationException(NotReadyReason);

    /// <summary>Runs a read of the catalog / SIDs under the read lock.</summary>
    public T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try { return read(); }
        finally { _lock.ExitReadLock(); }
    }

    public async Task<RecommendResponse> RecommendAsync(Event[] history, int domain, int k, List<string> warnings, CancellationToken cancel)
    {
        var query = new RecommendationQuery(-1, history, domain);
        var items = await Batcher.RecommendAsync(query, k, cancel);
        return Read(() => new RecommendResponse(items.Select(r => View(domain, r)).ToList(), warnings));
    }

    public async Task<ItemView> AddItemAsync(NewItem item, CancellationToken cancel)
    {
        var added = await Batcher.RunExclusiveAsync(() =>
        {
            _lock.EnterWriteLock();
            try
            {
                var result = Bundle.AddItem(item);
                if (_options.SaveNewItems) Bundle.Save();
                return result;
            }
            finally { _lock.ExitWriteLock(); }
        }, cancel);
        _metrics.ItemAdded(Catalog.DomainNames[added.Item.Domain]);
        return Read(() => View(added.Item));
    }

    public int[] Sid(int domain, int index) => Bundle.Sids.Codes(domain, index);

    /// <summary>Call under <see cref="Read{T}"/>.</summary>
    public ItemView View(CatalogItem item)
    {
        var text = item.Item.Text;
        return new ItemView(item.Item.Id, Catalog.DomainNames[item.Domain], text.Title, text.Brand, text.Categories,
            text.Description, Sid(item.Domain, item.Index), item.Index >= Catalog.TrainedItemCounts[item.Domain]);
    }

    RecommendedItem View(int domain, Recommendation r)
    {
        var item = Catalog.Item(domain, r.Item);
        return new RecommendedItem(item.Id, item.Text.Title, Catalog.DomainNames[domain], r.Codes, Math.Round(r.Score, 5));
    }

    /// <summary>Every item of the domain whose SID starts with <paramref name="prefix"/> (a walk of the
    /// domain's prefix trie below the prefix's node), in index order. Call under <see cref="Read{T}"/>.</summary>
    public List<int> ItemsWithPrefix(int domain, int[] prefix)
    {
        var items = new List<int>();
        var node = Bundle.Sids.Tries[domain].Find(prefix);
        if (node is null) return items;
        var stack = new Stack<PrefixTrie.Node>([node]);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n.Item >= 0) items.Add(n.Item);
            foreach (var child in n.Children.Values) stack.Push(child);
        }
        items.Sort();
        return items;
    }

    public List<DomainView> Domains() => Read(() => Enumerable.Range(0, Catalog.DomainCount)
        .Select(d => new DomainView(Catalog.DomainNames[d], Catalog.ItemCount(d), Catalog.ItemCount(d) - Catalog.TrainedItemCounts[d])).ToList());

    public void Dispose()
    {
        Batcher.Dispose();
        _lock.Dispose();
    }
}
