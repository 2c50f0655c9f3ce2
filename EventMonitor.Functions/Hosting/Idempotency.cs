using System.Net;
using System.Security.Cryptography;
using System.Text;
using EventMonitor.Functions.Auth;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Functions.Hosting;

/// <summary>
/// <c>Idempotency-Key</c> on the create endpoints: the first response (status and body) is kept for
/// 24 hours, per caller and key, and a repeat gets it back instead of creating twice. A repeat that
/// arrives while the first is still running answers 409.
/// </summary>
internal static class Idempotency
{
    public const string Header = "Idempotency-Key";
    private const string Partition = "idempotency";
    private const int TimeToLiveSeconds = 24 * 60 * 60;
    private static readonly string[] CreatePaths = ["/api/event-job/jobs", "/api/jobs", "/api/event-job/batches"];

    public static IApplicationBuilder UseIdempotency(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var key = context.Request.Headers[Header].ToString();
        if (key.Length == 0 || !HttpMethods.IsPost(context.Request.Method) || !CreatePaths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase) || context.Request.Path.Equals(p + "/", StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }
        if (key.Length > 200)
        {
            throw ApiException.BadRequest("invalid_header", $"{Header} is longer than 200 characters.");
        }
        var store = context.RequestServices.GetRequiredService<StateStore>().State;
        var id = "idem-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{context.GetCaller().UserId}\n{context.Request.Path}\n{key}")));
        var kept = await store.ReadOrNullAsync<KeptResponse>(id, Partition, context.RequestAborted);
        if (kept is not null)
        {
            if (kept.Status == 0)
            {
                throw ApiException.Conflict("request_in_progress", $"A request with this {Header} is still being handled.");
            }
            context.Response.StatusCode = kept.Status;
            context.Response.ContentType = kept.ContentType;
            context.Response.Headers["Idempotent-Replayed"] = "true";
            await context.Response.WriteAsync(kept.Body, context.RequestAborted);
            return;
        }
        try
        {
            await store.CreateItemAsync(new KeptResponse { Id = id, Status = 0 }, new PartitionKey(Partition), cancellationToken: context.RequestAborted);
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            throw ApiException.Conflict("request_in_progress", $"A request with this {Header} is still being handled.");
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        var status = context.Response.StatusCode;
        if (status < 500)
        {
            var body = Encoding.UTF8.GetString(buffer.ToArray());
            await store.UpsertItemAsync(new KeptResponse { Id = id, Status = status, ContentType = context.Response.ContentType ?? "application/json", Body = body }, new PartitionKey(Partition), cancellationToken: CancellationToken.None);
        }
        else
        {
            // A failed first attempt must not block a retry with the same key.
            await store.DeleteIfExistsAsync(id, Partition, CancellationToken.None);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    });

    private sealed record KeptResponse
    {
        public required string Id { get; init; }
        public string Pk { get; init; } = Partition;
        public string Type { get; init; } = "idempotency";
        public required int Status { get; init; }
        public string ContentType { get; init; } = "";
        public string Body { get; init; } = "";
        public int Ttl { get; init; } = TimeToLiveSeconds;
    }
}
