using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Hosting;

/// <summary>
/// <c>GET /api/health</c>: the process answers (liveness). <c>GET /api/health/ready</c>: Cosmos, Blob and
/// Queue answer too (readiness), 503 with the failing parts otherwise. Neither needs a key nor tells secrets.
/// </summary>
internal static class Health
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/health", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health").WithName("Health");
        endpoints.MapGet("/api/health/ready", Ready).WithTags("Health").WithName("Ready").Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    private static async Task<IResult> Ready(StateStore store, BlobServiceClient blobs, QueueServiceClient queues, IOptions<StorageOptions> options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        // At once, under one deadline: a hung service must not use up the others' time and be blamed on them.
        var cosmos = CheckAsync(() => store.State.ReadContainerAsync(cancellationToken: timeout.Token));
        var blob = CheckAsync(() => blobs.GetBlobContainerClient(options.Value.OutputContainer).GetPropertiesAsync(cancellationToken: timeout.Token));
        var queue = CheckAsync(() => queues.GetQueueClient(options.Value.WorkQueue).GetPropertiesAsync(timeout.Token));
        var checks = new Dictionary<string, string> { ["cosmos"] = await cosmos, ["blob"] = await blob, ["queue"] = await queue };
        var ready = checks.Values.All(v => v == "ok");
        return TypedResults.Json(new { status = ready ? "ok" : "unavailable", checks }, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<string> CheckAsync(Func<Task> check)
    {
        try
        {
            await check();
            return "ok";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The reason's type is enough to act on; messages may carry account details.
            return "failed: " + ex.GetType().Name;
        }
    }
}
