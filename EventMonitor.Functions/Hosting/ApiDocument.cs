using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EventMonitor.Functions.Hosting;

/// <summary>The OpenAPI document at <c>/api/openapi.json</c>, generated from the mapped endpoints (committed as docs/openapi.json).</summary>
internal static class ApiDocument
{
    public const string Path = "/api/openapi.json";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Event Monitor API",
                    Version = "1.0",
                    Description = "Jobs and batches that turn conference session pages into Markdown. Authenticate with 'Authorization: Bearer <key>' or 'X-API-Key'. Errors: {\"status\": \"error\", \"error\": {code, message, details}}.",
                };
                document.Servers = [];
                return Task.CompletedTask;
            });
        });

    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(Path).ExcludeFromDescription();
        return endpoints;
    }
}
