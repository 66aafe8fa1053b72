namespace GenCdr.Server;

/// <summary>The probes of a load balancer or orchestrator: open to all (no key), cheap, and never touching the model.</summary>
static class HealthEndpoints
{
    public static void Map(WebApplication app, ServedModel model)
    {
        app.MapGet("/health/live", () => new ProbeView("live")).Produces<ProbeView>().WithTags("service").WithName("getLiveness")
            .WithSummary("The process is up and answering (whether or not the model is loaded).")
            .WithDescription("The liveness probe: 200 as long as the process answers HTTP. Never touches the model and never needs a key.");

        // not ready while the bundle loads (or failed to), nor once shutdown began: a balancer stops sending requests
        // that would wait for a server going away, while the ones in flight finish
        var stopping = app.Lifetime.ApplicationStopping;
        app.MapGet("/health/ready", () =>
                stopping.IsCancellationRequested ? ApiResults.Status(StatusCodes.Status503ServiceUnavailable, "the server is shutting down")
                : model.NotReadyReason is { } reason ? ApiResults.Status(StatusCodes.Status503ServiceUnavailable, reason)
                : Results.Ok(new ProbeView("ready")))
            .Produces<ProbeView>().Produces<ApiError>(StatusCodes.Status503ServiceUnavailable).WithTags("service").WithName("getReadiness")
            .WithSummary("The model is loaded and the server takes requests (503 while the bundle loads and once shutdown began).")
            .WithDescription("The readiness probe: 200 once the model bundle is loaded; 503 with the reason while it loads, if it failed to load, "
                             + "and once shutdown began (so that a balancer stops sending requests while those in flight finish).");
    }
}
