using System.Text.Json;
using EventMonitor.Functions.Auth;
using EventMonitor.Functions.Hosting;

namespace EventMonitor.Functions.CustomHandler;

/// <summary>Maps <c>POST /{FunctionName}</c> for a trigger, reachable from loopback only.</summary>
internal static class TriggerEndpoints
{
    // The host writes "Data" and "Metadata"; reading them case-insensitively costs nothing and tolerates other senders.
    private static readonly JsonSerializerOptions EnvelopeJson = new() { PropertyNameCaseInsensitive = true };

    public delegate Task<InvocationResponse> Handler(InvocationRequest request, IServiceProvider services, CancellationToken cancellationToken);

    public static RouteHandlerBuilder MapTrigger(this IEndpointRouteBuilder endpoints, string functionName, Handler handler) =>
        endpoints.MapPost("/" + functionName, async (HttpContext context) =>
        {
            if (!AccessControl.IsLoopback(context.Connection.RemoteIpAddress))
            {
                throw ApiException.NotFound("Resource", context.Request.Path);
            }
            InvocationRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<InvocationRequest>(context.Request.Body, EnvelopeJson, context.RequestAborted);
            }
            catch (JsonException)
            {
                throw ApiException.BadRequest("invalid_invocation", "The body is not a custom-handler invocation envelope.");
            }
            var response = await handler(request ?? new InvocationRequest(), context.RequestServices, context.RequestAborted);
            return Results.Json(response);
        }).ExcludeFromDescription().WithName(functionName);
}
