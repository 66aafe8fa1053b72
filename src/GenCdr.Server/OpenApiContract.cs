using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GenCdr.Server;

/// <summary>What the OpenAPI document (/openapi/v1.json) says beyond what the endpoints declare: the API-key
/// security scheme, and which operations need it (the same rule as <see cref="ApiAccess"/>).</summary>
static class OpenApiContract
{
    public static void Configure(OpenApiOptions openApi, ServerOptions options)
    {
        openApi.AddDocumentTransformer((document, _, _) =>
        {
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
            if (ApiAccess.NeedsKey(context.Description.ActionDescriptor.EndpointMetadata, options))
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKey.SchemeName, context.Document)] = [] });
            }
            return Task.CompletedTask;
        });
    }
}
