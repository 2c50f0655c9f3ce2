using System.Text.Json;
using System.Text.Json.Nodes;
using EventMonitor.Functions.Archiving;
using EventMonitor.Functions.Auth;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Files;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventMonitor.Functions.Batches;

/// <summary>The batch endpoints under <c>/api/event-job/batches</c>.</summary>
internal static class BatchesApi
{
    public static RouteGroupBuilder MapBatchesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/event-job/batches").WithTags("Batches").WithCommonErrors();
        group.MapPost("/", CreateBatch).WithName("CreateBatch").WithErrors(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/", ListBatches).WithName("ListBatches");
        group.MapPost("/fail-all", FailAll).WithName("FailAll").WithErrors(StatusCodes.Status404NotFound);
        group.MapGet("/{batchId}", GetBatch).WithName("GetBatch");
        group.MapPut("/{batchId}", UpdateBatch).WithName("UpdateBatch").WithErrors(StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed);
        group.MapDelete("/{batchId}", DeleteBatch).WithName("DeleteBatch").TakesNoBody().WithErrors(StatusCodes.Status409Conflict);
        group.MapGet("/{batchId}/events", GetEvents).WithName("GetBatchEvents");
        group.MapPost("/{batchId}/archive", Archive).WithName("ArchiveBatch").TakesNoBody().WithErrors(StatusCodes.Status409Conflict);
        group.MapGet("/{batchId}/archive", DownloadArchive).WithName("DownloadBatchArchive").Produces(StatusCodes.Status200OK, contentType: "application/zip");
        group.MapPost("/{batchId}/toggle-active", ToggleActive).WithName("ToggleBatchActive").TakesNoBody();
        group.MapPost("/{batchId}/restart", Restart).WithName("RestartBatch").WithErrors(StatusCodes.Status409Conflict);
        group.MapPost("/{batchId}/cancel", Cancel).WithName("CancelBatch").TakesNoBody();
        return group;
    }

    private static async Task<Created<Success<BatchView>>> CreateBatch(HttpContext context, BatchService batches, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, cancellationToken);
        var batch = await batches.CreateAsync(context.GetCaller(), BatchRequest.Parse(body, batches.MaxJobsPerBatch), cancellationToken);
        return TypedResults.Created($"/api/event-job/batches/{batch.BatchId}", new Success<BatchView>(BatchView.Of(batch), $"Batch created with {batch.JobCount} jobs."));
    }

    private static async Task<Ok<Success<JsonObject>>> ListBatches(HttpContext context, BatchService batches, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var list = ListQuery.Parse(request, BatchService.Sortable, BatchService.Filters);
        var status = ListQuery.Text(request, "status");
        if (status is not null && !BatchStatus.All.Contains(status))
        {
            throw ApiException.BadRequest("invalid_query", $"'status' must be one of {string.Join(", ", BatchStatus.All)}.", new Dictionary<string, object?> { ["parameter"] = "status" });
        }
        var filter = new BatchFilter(ListQuery.OwnerFilter(request, context.GetCaller()), status, ListQuery.Flag(request, "archived"), ListQuery.Flag(request, "active"), ListQuery.Text(request, "event"), ListQuery.Text(request, "q"));
        var (page, total) = await batches.ListAsync(filter, list, cancellationToken);
        return TypedResults.Ok(new Success<JsonObject>(ListData.Of("batches", page.Select(BatchView.Of), total, list)));
    }

    /// <summary>The batch with its counts and a page of its jobs (<c>limit</c>, <c>skip</c>, <c>status</c>, <c>sort</c>).</summary>
    private static async Task<Ok<Success<JsonObject>>> GetBatch(string batchId, HttpContext context, BatchService batches, JobService jobs, CancellationToken cancellationToken)
    {
        var batch = await batches.GetAsync(context.GetCaller(), batchId, cancellationToken);
        var list = ListQuery.Parse(context.Request, JobService.Sortable, ["status"], defaultDescending: false);
        var status = ListQuery.Text(context.Request, "status");
        var (page, total) = await jobs.ListAsync(new JobFilter(null, status, batch.BatchId), list, cancellationToken);
        var data = JsonSerializer.SerializeToNode(BatchView.Of(batch), AppJson.Options)!.AsObject();
        foreach (var (key, value) in ListData.Of("jobs", page.Select(JobView.Of), total, list).ToList())
        {
            data[key == "total" ? "jobs_total" : key] = value?.DeepClone();
        }
        context.Response.Headers.ETag = EntityTags.Format(batch.ETag);
        return TypedResults.Ok(new Success<JsonObject>(data));
    }

    private static async Task<Ok<Success<BatchView>>> UpdateBatch(string batchId, HttpContext context, BatchService batches, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, cancellationToken);
        var update = new BatchUpdate
        {
            BatchName = RequestBody.OptionalString(body, "batch_name"),
            TargetLanguage = RequestBody.OptionalString(body, "target_language"),
            Active = RequestBody.OptionalBool(body, "active"),
            Archived = RequestBody.OptionalBool(body, "archived"),
            ResetJobs = RequestBody.OptionalBool(body, "reset") ?? false,
        };
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        var batch = await batches.UpdateAsync(context.GetCaller(), batchId, update, ifMatch.Length == 0 ? null : ifMatch, cancellationToken);
        context.Response.Headers.ETag = EntityTags.Format(batch.ETag);
        return TypedResults.Ok(new Success<BatchView>(BatchView.Of(batch), "Batch updated."));
    }

    private static async Task<Ok<Success<JsonObject>>> DeleteBatch(string batchId, HttpContext context, BatchService batches, CancellationToken cancellationToken)
    {
        await batches.DeleteAsync(context.GetCaller(), batchId, cancellationToken);
        return TypedResults.Ok(new Success<JsonObject>(new JsonObject { ["batch_id"] = batchId, ["deleted"] = true }, "Batch deleted."));
    }

    private static async Task<Ok<JsonObject>> GetEvents(string batchId, HttpContext context, BatchService batches, EventLog events, CancellationToken cancellationToken)
    {
        var after = QueryParams.Long(context.Request, "after", 0, 0, long.MaxValue);
        var limit = QueryParams.Int(context.Request, "limit", EventLog.DefaultLimit, 1, EventLog.MaxLimit);
        var batch = await batches.GetAsync(context.GetCaller(), batchId, cancellationToken);
        var log = await events.ReadAsync(batch.BatchId, after, limit, cancellationToken);
        return TypedResults.Ok(new JsonObject { ["status"] = "success", ["events"] = JsonSerializer.SerializeToNode(log, AppJson.Options) });
    }

    private static async Task<Ok<Success<BatchView>>> Archive(string batchId, HttpContext context, BatchService batches, CancellationToken cancellationToken)
    {
        var batch = await batches.ArchiveAsync(context.GetCaller(), batchId, cancellationToken);
        return TypedResults.Ok(new Success<BatchView>(BatchView.Of(batch), "Batch archived."));
    }

    /// <summary>The completed jobs' files as a ZIP; a purged batch has none left, so its snapshot from archiving is served.</summary>
    private static async Task<EmptyHttpResult> DownloadArchive(string batchId, HttpContext context, BatchService batches, StateStore store, ZipExport zip, BatchArchiver archiver, CancellationToken cancellationToken)
    {
        var batch = await batches.GetAsync(context.GetCaller(), batchId, cancellationToken);
        if (batch.PurgeStartedAt is not null && await archiver.OpenSnapshotAsync(batch.BatchId, cancellationToken) is { } snapshot)
        {
            await using (snapshot)
            {
                context.Response.ContentType = "application/zip";
                context.Response.Headers.ContentDisposition = $"attachment; filename=\"{batch.BatchId}.zip\"";
                await snapshot.CopyToAsync(context.Response.Body, cancellationToken);
            }
            return TypedResults.Empty;
        }
        var jobs = store.State.StreamAsync<Job>(Queries.BatchJobsWithStatus(JobStatus.Completed), batch.BatchId, cancellationToken);
        await zip.WriteResponseAsync(context, $"{batch.BatchId}.zip", OutputStore.OwnerPrefix(batch.BatchId, ""), jobs, batch.BatchName, cancellationToken);
        return TypedResults.Empty;
    }

    private static async Task<Ok<Success<BatchView>>> ToggleActive(string batchId, HttpContext context, BatchService batches, CancellationToken cancellationToken)
    {
        var batch = await batches.ToggleActiveAsync(context.GetCaller(), batchId, cancellationToken);
        return TypedResults.Ok(new Success<BatchView>(BatchView.Of(batch), batch.Active ? "Batch resumed." : "Batch paused."));
    }

    private static async Task<Ok<Success<JsonObject>>> Restart(string batchId, HttpContext context, BatchService batches, BatchJobs batchJobs, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, cancellationToken);
        var all = RequestBody.OptionalBool(body, "all") ?? false;
        var batch = await batches.GetAsync(context.GetCaller(), batchId, cancellationToken);
        var restarted = await batchJobs.RestartAsync(batch, all, cancellationToken);
        return TypedResults.Ok(new Success<JsonObject>(new JsonObject { ["batch_id"] = batch.BatchId, ["restarted_count"] = restarted }, $"Restarted {restarted} jobs."));
    }

    /// <summary>Pending jobs are cancelled at once, processing ones stop at their next step; finished jobs are left alone.</summary>
    private static async Task<Ok<Success<JsonObject>>> Cancel(string batchId, HttpContext context, BatchService batches, BatchJobs batchJobs, CancellationToken cancellationToken)
    {
        var batch = await batches.GetAsync(context.GetCaller(), batchId, cancellationToken);
        var (cancelled, requested) = await batchJobs.CancelAsync(batch, cancellationToken);
        var data = new JsonObject { ["batch_id"] = batch.BatchId, ["cancelled_count"] = cancelled, ["cancel_requested_count"] = requested };
        return TypedResults.Ok(new Success<JsonObject>(data, $"Cancelled {cancelled} jobs; {requested} running jobs stop at their next step."));
    }

    /// <summary>
    /// With a batch id: fails that batch's unfinished jobs. Without: requires <c>confirm: true</c> and
    /// affects only the caller's active, unarchived batches (an admin may name a <c>user_id</c>).
    /// </summary>
    private static async Task<Ok<Success<JsonObject>>> FailAll(HttpContext context, BatchService batches, BatchJobs batchJobs, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, cancellationToken);
        var caller = context.GetCaller();
        var reason = RequestBody.OptionalString(body, "reason") ?? "Failed by request.";
        if (RequestBody.OptionalString(body, "batch_id") is { } batchId)
        {
            var batch = await batches.GetAsync(caller, batchId, cancellationToken);
            var failed = await batchJobs.FailAsync(batch, reason, cancellationToken);
            return TypedResults.Ok(new Success<JsonObject>(new JsonObject { ["batch_id"] = batch.BatchId, ["failed_count"] = failed }, $"Failed {failed} jobs."));
        }
        if (RequestBody.OptionalBool(body, "confirm") != true)
        {
            throw ApiException.BadRequest("confirmation_required", "Failing every batch needs {\"confirm\": true}; to fail one batch, send its batch_id.");
        }
        var userId = RequestBody.OptionalString(body, "user_id");
        if (userId is not null && !caller.IsAdmin && userId != caller.UserId)
        {
            throw ApiException.Forbidden("Only admins may fail another user's batches.");
        }
        var owner = userId ?? caller.UserId;
        var (targets, _) = await batches.ListAsync(new BatchFilter(owner, Archived: false, Active: true), new ListQuery("created_at", false, ListQuery.MaxLimit, 0), cancellationToken);
        var total = 0;
        var affected = new JsonArray();
        foreach (var batch in targets.Where(b => !BatchStatus.IsTerminal(b.Status)))
        {
            total += await batchJobs.FailAsync(batch, reason, cancellationToken);
            affected.Add(batch.BatchId);
        }
        return TypedResults.Ok(new Success<JsonObject>(new JsonObject { ["batch_ids"] = affected, ["failed_count"] = total }, $"Failed {total} jobs in {affected.Count} batches."));
    }
}
