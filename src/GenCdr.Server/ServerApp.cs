using System.Reflection;
using GenCdr.Serving;
using Prometheus;

namespace GenCdr.Server;

/// <summary>
/// The GenCDR HTTP API (ASP.NET Core minimal API on Kestrel) over a <see cref="ModelBundle"/>:
/// <list type="bullet">
/// <item><c>POST /v1/recommend</c> — top-k of a domain for any cross-domain history (micro-batched);</item>
/// <item><c>GET /v1/users</c>, <c>/v1/users/{id}</c>, <c>/v1/users/{id}/recommendations?domain=&amp;k=</c> — known users;</item>
/// <item><c>GET /v1/items/{id}?domain=</c>, <c>/v1/items/{id}/neighbours?prefix=2</c>, <c>POST /v1/items</c> — the catalog,
/// items sharing a SID prefix, and new items without retraining (with the API key: <see cref="ApiAccess"/>);</item>
/// <item><c>GET /v1/domains</c>, <c>GET /health</c>, <c>/health/live</c>, <c>/health/ready</c>, <c>/metrics</c> (Prometheus),
/// <c>GET /openapi/v1.json</c>,
/// and the explorer page at <c>/</c>.</item>
/// </list>
/// The bundle belongs to the caller (dispose it after the app); the app owns the batching worker.
/// </summary>
public static class ServerApp
{
    public static WebApplication Build(ModelBundle bundle, ServerOptions? options = null) => Build(Task.FromResult(bundle), options);

    /// <summary>A server that listens while <paramref name="loading"/> runs: /health/live answers at once, /health/ready
    /// and the endpoints that read the model answer 503 until the bundle is there.</summary>
    /// <param name="services">more services for the host, e.g. an <see cref="IBatchObserver"/> of the micro-batcher</param>
    public static WebApplication Build(Task<ModelBundle> loading, ServerOptions? options = null, Action<IServiceCollection>? services = null)
    {
        options ??= new ServerOptions();
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        builder.Logging.SetMinimumLevel(options.LogLevel);
        // a query parameter that does not parse (e.g. k=ten) throws, so that BadInputAnswers answers it like any bad input
        builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi(openApi => OpenApiContract.Configure(openApi, options));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton<IBatchObserver>(s => s.GetRequiredService<ServerMetrics>());
        builder.Services.AddSingleton(s => new ServedModel(loading, options, s.GetRequiredService<ServerMetrics>(),
            s.GetServices<IBatchObserver>())); // disposed with the app, after the requests in flight: drains the worker
        services?.Invoke(builder.Services);

        var app = builder.Build();
        var model = app.Services.GetRequiredService<ServedModel>();
        var metrics = app.Services.GetRequiredService<ServerMetrics>();
        metrics.Watch(model);
        app.UseRouting(); // before the HTTP metrics, so that they are labelled with the matched route
        app.UseHttpMetrics(http => http.SetMetricFactory(metrics.Factory));
        app.Use(BadInputAnswers.Handle); // inside the metrics, so that they count these answers as 400s
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapOpenApi();
        app.MapGet("/", () => Results.Content(ExplorerPage.Value, "text/html; charset=utf-8")).ExcludeFromDescription();
        HealthEndpoints.Map(app, model);

        // everything below reads the model: 503 until it is loaded
        var loaded = app.MapGroup("").AddEndpointFilter((context, next) =>
            model.NotReadyReason is { } reason ? ValueTask.FromResult<object?>(ApiResults.Status(StatusCodes.Status503ServiceUnavailable, reason)) : next(context));
        loaded.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(ApiError), ["application/json"]));
        loaded.MapGet("/health", () => new HealthView("ok", model.Name, model.Catalog.UserIds.Count, model.Domains(),
            model.Batcher.Batches, model.Batcher.Decoded, model.Batcher.LargestBatch)).WithTags("service")
            .WithName("getHealth").WithSummary("The served model, its domains and the micro-batcher's counts.")
            .WithDescription("For operators: the data set's name, the number of known users, every domain's item counts, and how many "
                             + "micro-batches and requests the model has decoded so far (the largest batch too). 503 until the bundle is loaded.");

        var api = loaded.MapGroup("").AddEndpointFilter((context, next) => ApiAccess.Check(options, context, next));
        // run after each endpoint's own conventions, so the ChangesModel marks are there to be seen
        ((IEndpointConventionBuilder)api).Finally(endpoint =>
        {
            // both refusals, whether or not this server has a key: the contract is the same for every deployment
            if (ApiAccess.NeedsKey(endpoint.Metadata, options))
                foreach (int status in new[] { StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden })
                    endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ApiError), ["application/json"]));
        });
        api.MapGet("/v1/domains", () => model.Domains()).Produces<List<DomainView>>().WithTags("catalog").WithName("listDomains")
            .WithSummary("The served domains with their item counts.")
            .WithDescription("Every domain the model recommends from, in the model's order, with its number of items and how many of them were added after training.");
        RecommendEndpoints.Map(api, model, options);
        CatalogEndpoints.Map(api, model, options);
        return app;
    }

    static readonly Lazy<string> ExplorerPage = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("GenCdr.Server.explorer.html")
                           ?? throw new InvalidOperationException("the explorer page is not embedded in the assembly");
        return new StreamReader(stream).ReadToEnd();
    });
}
