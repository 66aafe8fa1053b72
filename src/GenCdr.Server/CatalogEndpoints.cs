using GenCdr.Serving;

namespace GenCdr.Server;

/// <summary>The catalog: items, SID-prefix neighbours, new items, and known users with their histories.</summary>
static class CatalogEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServedModel model, ServerOptions options)
    {
        app.MapGet("/v1/items/{id}", (string id, string? domain) =>
            Find(model, id, domain, out var item) is { } error ? error : Results.Ok(model.Read(() => model.View(item))))
            .Produces<ItemView>().Produces<ApiError>(404).WithTags("catalog").WithName("getItem").WithSummary("An item with its text and SID.")
            .WithDescription("The item's title, brand, categories and description, its semantic ID, and whether it was added after training. "
                             + "`domain` is needed only when two domains share the id.");

        app.MapGet("/v1/items/{id}/neighbours", (string id, string? domain, int? prefix, int? limit) =>
        {
            if (Find(model, id, domain, out var item) is { } error) return error;
            int levels = model.Sid(item.Domain, item.Index).Length;
            int length = prefix ?? 2;
            if (length < 1 || length > levels) return ApiResults.BadRequest($"'prefix' must be between 1 and {levels} (the SID length), got {length}");
            int max = Math.Clamp(limit ?? 50, 1, 500);
            return Results.Ok(model.Read(() =>
            {
                var codes = model.Sid(item.Domain, item.Index)[..length];
                var all = model.ItemsWithPrefix(item.Domain, codes);
                var views = all.Take(max).Select(i => model.View(new CatalogItem(item.Domain, i, model.Catalog.Item(item.Domain, i)))).ToList();
                return new NeighboursResponse(item.Item.Id, model.Catalog.DomainNames[item.Domain], codes, views, all.Count);
            }));
        })
        .Produces<NeighboursResponse>().Produces<ApiError>(400).Produces<ApiError>(404)
        .WithTags("catalog").WithName("getItemNeighbours").WithSummary("Items of the same domain whose SID shares the item's first `prefix` codes.")
        .WithDescription("Semantically close items as the tokenizer sees them: `prefix` is 1 to the SID length (default 2); at most `limit` "
                         + "items (1 to 500, default 50) in catalog order, and `total` says how many share the prefix.");

        app.MapPost("/v1/items", async (HttpRequest request) =>
        {
            var (body, error) = await ApiResults.ReadBody<NewItem>(request, options.MaxBodyBytes);
            if (error is not null) return error;
            try
            {
                var view = await model.AddItemAsync(body!, request.HttpContext.RequestAborted);
                return Results.Created($"/v1/items/{Uri.EscapeDataString(view.Id)}?domain={Uri.EscapeDataString(view.Domain)}", view);
            }
            catch (GenCdrException e) { return ApiResults.BadRequest(e.Message); }
            catch (ServerBusyException e) { return ApiResults.Status(StatusCodes.Status503ServiceUnavailable, e.Message); }
        })
        .Accepts<NewItem>("application/json").Produces<ItemView>(201).Produces<ApiError>(400)
        .WithMetadata(ChangesModel.Instance).WithTags("catalog").WithName("addItem").WithSummary("Adds an item without retraining: its text gets a SID from the tokenizer; recommendable at once.")
        .WithDescription($"Needs the API key in the {ApiKey.Header} header. The id must be new in its domain and the title non-empty; the "
                         + "answer is the item with its new semantic ID. The item lives until shutdown, or is written into the bundle with `--save-new-items`.");

        app.MapGet("/v1/domains/{domain}/items", (string domain, int? offset, int? limit) =>
        {
            int d = model.Catalog.FindDomain(domain);
            if (d < 0) return ApiResults.NotFound($"unknown domain '{domain}'");
            return Results.Ok(model.Read(() => Enumerable.Range(0, model.Catalog.ItemCount(d)).Skip(Math.Max(0, offset ?? 0)).Take(Math.Clamp(limit ?? 50, 1, 500))
                .Select(i => model.View(new CatalogItem(d, i, model.Catalog.Item(d, i)))).ToList()));
        }).Produces<List<ItemView>>().Produces<ApiError>(400).Produces<ApiError>(404).WithTags("catalog").WithName("listDomainItems")
        .WithSummary("A page of a domain's items.")
        .WithDescription("The domain's items in catalog order (trained items first, then added ones), from `offset` (default 0), `limit` of them (1 to 500, default 50).");

        app.MapGet("/v1/users", (string? query, int? limit) =>
        {
            var matches = model.Catalog.UserIds.Where(u => string.IsNullOrEmpty(query) || u.Contains(query, StringComparison.OrdinalIgnoreCase)).ToList();
            return new UserList(matches.Take(Math.Clamp(limit ?? 20, 1, 200)).ToList(), matches.Count);
        }).Produces<UserList>().Produces<ApiError>(400).WithTags("users").WithName("searchUsers").WithSummary("Known user ids containing `query`.")
        .WithDescription("User ids of the bundle that contain `query` (case-insensitive; all users without it), at most `limit` (1 to 200, default 20); `total` counts all matches.");

        app.MapGet("/v1/users/{id}", (string id) =>
        {
            if (!model.Catalog.TryFindUser(id, out int user)) return ApiResults.NotFound($"unknown user '{id}'");
            return Results.Ok(model.Read(() => new UserView(id, model.Catalog.Histories[user].Select(e =>
            {
                var item = model.Catalog.Item(e.Domain, e.Item);
                return new HistoryItemView(item.Id, item.Text.Title, model.Catalog.DomainNames[e.Domain], e.Timestamp, model.Sid(e.Domain, e.Item));
            }).ToList())));
        }).Produces<UserView>().Produces<ApiError>(404).WithTags("users").WithName("getUser").WithSummary("A known user's cross-domain history, oldest first.")
            .WithDescription("Every event the bundle holds for the user, in all domains, with the item's title, the timestamp and the item's semantic ID.");
    }

    static IResult? Find(ServedModel model, string id, string? domain, out CatalogItem item)
    {
        item = default;
        int d = model.Catalog.FindDomain(domain);
        if (domain is not null && d < 0) return ApiResults.NotFound($"unknown domain '{domain}'");
        var found = model.Read(() => (model.Catalog.TryFindItem(id, d, out var i), i));
        item = found.i;
        return found.Item1 ? null : ApiResults.NotFound(domain is null ? $"unknown item '{id}'" : $"unknown item '{id}' in {domain}");
    }
}
