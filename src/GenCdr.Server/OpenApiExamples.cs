using System.Text.Json.Nodes;

namespace GenCdr.Server;

/// <summary>
/// An example of each request body and successful answer of the API, by operationId, for the OpenAPI document
/// (what a reader of the contract or a client generator shows). They use the synthetic data set's ids (domains
/// outdoor and apparel, items OUT00012, users U001), are fixed rather than read from the served model so the
/// document does not change with the bundle; `redocly lint` (no-invalid-media-type-examples) checks each against
/// its schema.
/// </summary>
static class OpenApiExamples
{
    static JsonNode Item(string id, string domain, string title, int[] sid, bool added = false) => new JsonObject
    {
        ["id"] = id, ["domain"] = domain, ["title"] = title, ["brand"] = "Summitline", ["categories"] = new JsonArray("Tents", "Backpacking"),
        ["description"] = "A two-person tent for three seasons.", ["sid"] = Codes(sid), ["added"] = added,
    };

    static JsonArray Codes(int[] sid) => new(sid.Select(c => (JsonNode)c).ToArray());

    static JsonNode Recommendations => new JsonObject
    {
        ["items"] = new JsonArray(
            new JsonObject { ["item"] = "OUT00012", ["title"] = "Summitline Ridge 2 Tent", ["domain"] = "outdoor", ["sid"] = Codes([3, 14, 7, 0]), ["score"] = -1.20412 },
            new JsonObject { ["item"] = "OUT00031", ["title"] = "Northpeak Trail Poles", ["domain"] = "outdoor", ["sid"] = Codes([3, 14, 2, 0]), ["score"] = -2.51876 }),
        ["warnings"] = new JsonArray("history item 'NOPE' is not in the catalog: skipped"),
    };

    /// <summary>The example request body of an operation, if it has a body.</summary>
    public static JsonNode? Request(string operationId) => operationId switch
    {
        "recommend" => new JsonObject
        {
            ["history"] = new JsonArray(
                new JsonObject { ["item"] = "APP00007", ["domain"] = "apparel", ["timestamp"] = 1700000000 },
                new JsonObject { ["item"] = "OUT00003", ["domain"] = "outdoor", ["timestamp"] = 1700086400 }),
            ["domain"] = "outdoor", ["k"] = 2,
        },
        "addItem" => new JsonObject
        {
            ["id"] = "OUT-NEW-1", ["domain"] = "outdoor", ["title"] = "Summitline Ridge 3 Tent", ["brand"] = "Summitline",
            ["categories"] = new JsonArray("Tents"), ["description"] = "A three-person tent for three seasons.",
        },
        _ => null,
    };

    /// <summary>The example answer of an operation with the given 2xx status.</summary>
    public static JsonNode? Success(string operationId) => operationId switch
    {
        "recommend" or "recommendForUser" => Recommendations,
        "getItem" => Item("OUT00012", "outdoor", "Summitline Ridge 2 Tent", [3, 14, 7, 0]),
        "addItem" => Item("OUT-NEW-1", "outdoor", "Summitline Ridge 3 Tent", [3, 14, 7, 1], added: true),
        "getItemNeighbours" => new JsonObject
        {
            ["item"] = "OUT00012", ["domain"] = "outdoor", ["prefix"] = Codes([3, 14]),
            ["items"] = new JsonArray(Item("OUT00012", "outdoor", "Summitline Ridge 2 Tent", [3, 14, 7, 0])), ["total"] = 1,
        },
        "listDomainItems" => new JsonArray(Item("OUT00012", "outdoor", "Summitline Ridge 2 Tent", [3, 14, 7, 0])),
        "listDomains" => new JsonArray(
            new JsonObject { ["name"] = "outdoor", ["items"] = 150, ["addedItems"] = 0 },
            new JsonObject { ["name"] = "apparel", ["items"] = 151, ["addedItems"] = 1 }),
        "searchUsers" => new JsonObject { ["users"] = new JsonArray("U001", "U010"), ["total"] = 2 },
        "getUser" => new JsonObject
        {
            ["id"] = "U001",
            ["history"] = new JsonArray(new JsonObject
            {
                ["item"] = "APP00007", ["title"] = "Urbanite Rain Jacket", ["domain"] = "apparel", ["timestamp"] = 1700000000, ["sid"] = Codes([9, 1, 4, 0]),
            }),
        },
        "getHealth" => new JsonObject
        {
            ["status"] = "ok", ["model"] = "synthetic", ["users"] = 300,
            ["domains"] = new JsonArray(new JsonObject { ["name"] = "outdoor", ["items"] = 150, ["addedItems"] = 0 }),
            ["batches"] = 42, ["decoded"] = 97, ["largestBatch"] = 8,
        },
        "getLiveness" => new JsonObject { ["status"] = "live" },
        "getReadiness" => new JsonObject { ["status"] = "ready" },
        _ => null,
    };

    /// <summary>The example error body of an operation's 4xx/5xx status (every error has the <see cref="ApiError"/> shape).</summary>
    public static JsonNode Error(string operationId, string status) => new JsonObject
    {
        ["error"] = (operationId, status) switch
        {
            ("addItem", "400") => "domain 'outdoor' already has an item 'OUT00012'",
            ("getItemNeighbours", "400") => "'prefix' must be between 1 and 4 (the SID length), got 7",
            ("listDomainItems" or "searchUsers", "400") => "'limit' must be an integer, got 'ten'",
            (_, "400") => "'k' must be between 1 and 100, got 0",
            (_, "401") => ApiAccess.MissingKeyMessage,
            (_, "403") => ApiAccess.NoKeyMessage,
            ("getItem" or "getItemNeighbours", "404") => "unknown item 'OUT99999' in outdoor",
            ("listDomainItems", "404") => "unknown domain 'books'",
            (_, "404") => "unknown user 'U999'",
            (_, "503") => ServedModel.StillLoading,
            (_, "504") => "no answer from the model within 10000 ms",
            _ => "the request failed",
        },
    };
}
