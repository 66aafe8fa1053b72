using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GenCdr.Server;

/// <summary>
/// What the OpenAPI document (/openapi/v1.json) says beyond what the endpoints declare, so that it passes
/// `redocly lint` (recommended rules, redocly.yaml) and a generated client gets good names: the title and the served
/// model's version, the server URL without a trailing slash, tag descriptions, the API-key security scheme and which
/// operations need it (the same rule as <see cref="ApiAccess"/>; the others say explicitly that they need none), a
/// description of every response, and examples (<see cref="OpenApiExamples"/>).
/// </summary>
static class OpenApiContract
{
    public const string Title = "GenCDR API";

    static readonly Dictionary<string, string> Tags = new()
    {
        ["recommend"] = "Top-k recommendations of a domain, for any cross-domain history or for a known user (micro-batched decoding).",
        ["catalog"] = "The served domains and items, items sharing a semantic-ID prefix, and new items added without retraining.",
        ["users"] = "The known users of the bundle and their cross-domain histories.",
        ["service"] = "Probes and counts for load balancers and operators (never need the API key).",
    };

    static readonly Dictionary<string, string> Responses = new()
    {
        ["200"] = "The answer.",
        ["201"] = "The item was added; the Location header names it.",
        ["400"] = "Bad input (a parameter or the body is invalid); the error says what is wrong.",
        ["401"] = $"The {ApiKey.Header} header is missing, empty or does not hold the server's API key.",
        ["403"] = "The server was started without an API key, so nobody may change the model.",
        ["404"] = "The user, item or domain named in the request is unknown.",
        ["503"] = "The model bundle is still loading (or failed to load), the request queue is full, or the server is shutting down.",
        ["504"] = "The model did not answer within the server's request timeout.",
    };

    public static void Configure(OpenApiOptions openApi, ServerOptions options)
    {
        openApi.AddDocumentTransformer((document, context, _) =>
        {
            var model = context.ApplicationServices.GetRequiredService<ServedModel>();
            document.Info = new OpenApiInfo
            {
                Title = Title,
                Version = model.Version is { } version ? $"1 (model {version})" : "1 (model not loaded yet)",
                Description = "Generative cross-domain recommendations (GenCDR): items are semantic IDs, and a transformer decodes "
                              + "the next item of a domain from a user's history in any domains. Errors are one line: `{\"error\": \"...\"}`.",
            };
            // ASP.NET Core writes the server URL as the request's origin with a trailing slash; paths start with '/'
            foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
            document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKey.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKey.Header,
                Description = "The server's API key (`gencdr serve --api-key-file PATH` or the environment variable "
                              + $"{ApiKey.EnvironmentVariable}). Needed to change the model; to read it too with --require-key-for-reads.",
            };
            return Task.CompletedTask;
        });
        openApi.AddOperationTransformer((operation, context, _) =>
        {
            // an empty requirement: this operation needs no credential (rather than "not said")
            operation.Security = ApiAccess.NeedsKey(context.Description.ActionDescriptor.EndpointMetadata, options)
                ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKey.SchemeName, context.Document)] = [] }]
                : [new OpenApiSecurityRequirement()];
            string id = operation.OperationId ?? "";
            if (OpenApiExamples.Request(id) is { } request && operation.RequestBody?.Content is { } body)
                foreach (var media in body.Values) media.Example = request;
            foreach (var (status, response) in operation.Responses ?? [])
            {
                if (response is OpenApiResponse editable && Responses.TryGetValue(status, out var description)) editable.Description = description;
                var example = status.StartsWith('2') ? OpenApiExamples.Success(id) : OpenApiExamples.Error(id, status);
                if (example is not null && response.Content is { } content)
                    foreach (var media in content.Values) media.Example = example.DeepClone();
            }
            return Task.CompletedTask;
        });
    }
}
