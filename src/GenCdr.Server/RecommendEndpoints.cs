using GenCdr.Data;
using GenCdr.Serving;

namespace GenCdr.Server;

/// <summary>POST /v1/recommend and GET /v1/users/{id}/recommendations: validate, resolve the history, wait for
/// the micro-batched decode (bounded by the request timeout).</summary>
static class RecommendEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServedModel model, ServerOptions options)
    {
        app.MapPost("/v1/recommend", async (HttpRequest request) =>
        {
            var (body, error) = await ApiResults.ReadBody<RecommendRequest>(request, options.MaxBodyBytes);
            if (error is not null) return error;
            if (body!.History is null) return ApiResults.BadRequest("'history' is required (a list of {item, domain?, timestamp?}, oldest first)");
            if (body.History.Count > options.MaxHistory)
                return ApiResults.BadRequest($"'history' has {body.History.Count} items; the limit is {options.MaxHistory}");
            if (Check(model, body.Domain, body.K, options) is { } invalid) return invalid;
            var (events, warnings) = model.Read(() => HistoryResolver.Resolve(model.Catalog, body.History));
            return await Recommend(model, options, events, model.Catalog.FindDomain(body.Domain), body.K ?? options.DefaultK, warnings, request.HttpContext);
        })
        .Accepts<RecommendRequest>("application/json")
        .Produces<RecommendResponse>().Produces<ApiError>(400).Produces<ApiError>(504)
        .WithTags("recommend").WithName("recommend").WithSummary("Top-k items of a domain for a cross-domain history (unknown items are skipped with a warning).")
        .WithDescription("The history lists items of any served domains, oldest first (the model reads their order, not the timestamps; "
                         + "only the last `MaxHistory` count). Items the model does not know are skipped and named in `warnings`. The request "
                         + "waits for a micro-batched decode; `k` is 1 to 100 (default 10). Scores are log-probabilities Σ log P(c_k | c_<k), best first.");

        app.MapGet("/v1/users/{id}/recommendations", async (string id, string? domain, int? k, HttpContext context) =>
        {
            if (Check(model, domain, k, options) is { } invalid) return invalid;
            if (!model.Catalog.TryFindUser(id, out int user)) return ApiResults.NotFound($"unknown user '{id}'");
            var history = model.Catalog.Histories[user];
            var events = history.Length > options.MaxHistory ? history[^options.MaxHistory..] : history;
            return await Recommend(model, options, events, model.Catalog.FindDomain(domain), k ?? options.DefaultK, [], context);
        })
        .Produces<RecommendResponse>().Produces<ApiError>(400).Produces<ApiError>(404).Produces<ApiError>(504)
        .WithTags("recommend").WithName("recommendForUser").WithSummary("Top-k items of a domain for a known user's full history.")
        .WithDescription("As `recommend`, with the history the bundle holds for the user (its most recent events up to the history limit). "
                         + "`domain` is required; `k` is 1 to 100 (default 10).");
    }

    static IResult? Check(ServedModel model, string? domain, int? k, ServerOptions options)
    {
        if (string.IsNullOrEmpty(domain)) return ApiResults.BadRequest($"'domain' is required (one of {string.Join(", ", model.Catalog.DomainNames)})");
        if (model.Catalog.FindDomain(domain) < 0) return ApiResults.BadRequest($"unknown domain '{domain}' (known: {string.Join(", ", model.Catalog.DomainNames)})");
        if (k is { } value && (value < 1 || value > options.MaxK)) return ApiResults.BadRequest($"'k' must be between 1 and {options.MaxK}, got {value}");
        return null;
    }

    static async Task<IResult> Recommend(ServedModel model, ServerOptions options, Event[] events, int domain, int k,
        List<string> warnings, HttpContext context)
    {
        if (events.Length == 0) warnings.Add("no known item in the history: the recommendations depend on the domain only");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            return Results.Ok(await model.RecommendAsync(events, domain, k, warnings, timeout.Token));
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            return ApiResults.Status(StatusCodes.Status504GatewayTimeout, $"no answer from the model within {options.RequestTimeout.TotalMilliseconds:F0} ms");
        }
        catch (ServerBusyException e)
        {
            return ApiResults.Status(StatusCodes.Status503ServiceUnavailable, e.Message);
        }
    }
}
