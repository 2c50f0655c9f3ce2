using EventMonitor.Functions.Auth;
using EventMonitor.Functions.Batches;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;

namespace EventMonitor.Functions.Files;

/// <summary><c>GET /api/event-job/files/{path}</c>: a job's outputs, for callers who may read that job.</summary>
internal static class FilesApi
{
    public static RouteGroupBuilder MapFilesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/event-job/files").WithTags("Files").WithCommonErrors();
        group.MapGet("/{**path}", GetFile).WithName("GetFile");
        return group;
    }

    private static async Task<IResult> GetFile(string? path, HttpContext context, JobService jobs, BatchService batches, OutputStore outputs, CancellationToken cancellationToken)
    {
        var storagePath = StoragePath.Parse(path);
        var caller = context.GetCaller();
        if (storagePath.OwnerKind == "jobs")
        {
            // Throws 404 for a job the caller may not read.
            await jobs.GetAsync(caller, storagePath.OwnerId, cancellationToken);
        }
        else
        {
            await batches.GetAsync(caller, storagePath.OwnerId, cancellationToken);
        }
        var blob = await outputs.OpenAsync(storagePath.Value, cancellationToken) ?? throw ApiException.NotFound("File", storagePath.Value);
        return TypedResults.Stream(blob.Content, blob.ContentType);
    }
}
