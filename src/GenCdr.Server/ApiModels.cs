using GenCdr.Serving;

namespace GenCdr.Server;

// The JSON shapes of the HTTP API (camelCase on the wire). Documented in the OpenAPI document (/openapi/v1.json).

/// <summary>POST /v1/recommend: a history (oldest first) of any domains, the domain to recommend from, and k.</summary>
public sealed record RecommendRequest(List<HistoryEntry>? History, string? Domain, int? K);

/// <summary>A recommended item: its id, title and domain, its semantic ID, and its score Σ log P(c_k | c_&lt;k).</summary>
public sealed record RecommendedItem(string Item, string Title, string Domain, int[] Sid, double Score);

/// <summary>Recommendations best first, and warnings about the request (e.g. skipped unknown history items).</summary>
public sealed record RecommendResponse(List<RecommendedItem> Items, List<string> Warnings);

/// <summary>An item of the catalog. <see cref="Added"/>: added after training (no retraining).</summary>
public sealed record ItemView(string Id, string Domain, string Title, string Brand, IReadOnlyList<string> Categories,
    string Description, int[] Sid, bool Added);

/// <summary>One event of a known user's history.</summary>
public sealed record HistoryItemView(string Item, string Title, string Domain, long Timestamp, int[] Sid);

public sealed record UserView(string Id, List<HistoryItemView> History);

public sealed record UserList(List<string> Users, int Total);

/// <summary>Items whose SID starts with the first <c>prefix</c> codes of the given item's SID.</summary>
public sealed record NeighboursResponse(string Item, string Domain, int[] Prefix, List<ItemView> Items, int Total);

public sealed record DomainView(string Name, int Items, int AddedItems);

/// <summary>The answer of /health/live and /health/ready when all is well.</summary>
public sealed record ProbeView(string Status);

public sealed record HealthView(string Status, string Model, int Users, List<DomainView> Domains, long Batches, long Decoded, long LargestBatch);

/// <summary>Every 4xx/5xx answer: one line saying what is wrong.</summary>
public sealed record ApiError(string Error);
