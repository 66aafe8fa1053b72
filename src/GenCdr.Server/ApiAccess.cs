namespace GenCdr.Server;

/// <summary>Metadata of an endpoint that changes the model (adds items): it needs the API key whatever the options.</summary>
sealed class ChangesModel
{
    public static readonly ChangesModel Instance = new();
}

/// <summary>
/// Who may call the /v1 endpoints. An endpoint marked <see cref="ChangesModel"/> (and every one under
/// <see cref="ServerOptions.RequireKeyForReads"/>) needs the <see cref="ApiKey.Header"/> header to hold the key:
/// without it, empty or wrong, the answer is 401. A server started without a key refuses such endpoints with 403
/// (the safe default: nobody can change the model until an operator gives it a key). Health, metrics, the OpenAPI
/// document and the explorer page stay open, for load balancers and scrapers.
/// </summary>
static class ApiAccess
{
    public static bool NeedsKey(IEnumerable<object> metadata, ServerOptions options) =>
        options.RequireKeyForReads || metadata.OfType<ChangesModel>().Any();

    /// <summary>The endpoint filter of the /v1 group.</summary>
    public static ValueTask<object?> Check(ServerOptions options, EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var endpoint = context.HttpContext.GetEndpoint();
        if (endpoint is null || !NeedsKey(endpoint.Metadata, options)) return next(context);
        return Refusal(options.ApiKey, context.HttpContext.Request.Headers) is { } refused ? ValueTask.FromResult<object?>(refused) : next(context);
    }

    /// <summary>The 403 answer's message: a keyed endpoint of a server started without a key (also the document's example).</summary>
    public static readonly string NoKeyMessage =
        $"changing the model is disabled: this server has no API key (start it with --api-key-file PATH or set {ApiKey.EnvironmentVariable})";

    /// <summary>The 401 answer's message for a request without the key header (also the document's example).</summary>
    public static readonly string MissingKeyMessage = $"this endpoint needs the API key in the {ApiKey.Header} header";

    static IResult? Refusal(ApiKey? key, IHeaderDictionary headers)
    {
        if (key is null) return ApiResults.Status(StatusCodes.Status403Forbidden, NoKeyMessage);
        if (!headers.TryGetValue(ApiKey.Header, out var values)) return Unauthorized(MissingKeyMessage);
        string presented = values.ToString();
        if (string.IsNullOrWhiteSpace(presented)) return Unauthorized($"the {ApiKey.Header} header is empty; it must hold the API key");
        return key.Matches(presented) ? null : Unauthorized($"the {ApiKey.Header} header does not hold this server's API key");
    }

    static IResult Unauthorized(string message) => ApiResults.Status(StatusCodes.Status401Unauthorized, message);
}
