using System.Text.Json;
using System.Text.Json.Nodes;
using EventMonitor.Functions.Archiving;
using EventMonitor.Functions.Auth;
using EventMonitor.Functions.Files;
using EventMonitor.Functions.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventMonitor.Functions.Jobs;

/// <summary>The legacy job endpoints under <c>/api/event-job</c>.</summary>
internal static class JobsApi
{
    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/event-job").WithTags("Jobs (legacy)").WithCommonErrors();
        group.MapPost("/jobs", CreateJob).WithName("CreateJobLegacy").WithErrors(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/jobs", ListJobs).WithName("ListJobsLegacy");
        group.MapGet("/jobs/{jobId}", GetJob).WithName("GetJobLegacy");
        group.MapDelete("/jobs/{jobId}", DeleteJob).WithName("DeleteJob").TakesNoBody().WithErrors(StatusCodes.Status409Conflict);
        group.MapPost("/jobs/{jobId}/restart", RestartJob).WithName("RestartJob").TakesNoBody().WithErrors(StatusCodes.Status409Conflict);
        group.MapPost("/jobs/{jobId}/cancel", CancelJob).WithName("CancelJobLegacy").TakesNoBody();
        group.MapGet("/jobs/{jobId}/download-archive", DownloadArchive).WithName("DownloadJobArchive").WithErrors(StatusCodes.Status409Conflict).Produces(StatusCodes.Status200OK, contentType: "application/zip");
        // The seed document's older spelling of restart.
        group.MapPost("/{jobId:regex(^job-)}/restart", RestartJob).WithName("RestartJobSeedPath").TakesNoBody().WithErrors(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Created<Success<JobView>>> CreateJob(HttpContext context, JobService jobs, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, cancellationToken);
        var job = await jobs.CreateAsync(context.GetCaller(), JobRequest.Parse(body), cancellationToken);
        return TypedResults.Created($"/api/event-job/jobs/{job.JobId}", new Success<JobView>(JobView.Of(job), "Job created."));
    }

    private static async Task<Ok<Success<JsonObject>>> ListJobs(HttpContext context, JobService jobs, CancellationToken cancellationToken)
    {
        var (list, filter) = ReadListQuery(context);
        var (page, total) = await jobs.ListAsync(filter, list, cancellationToken);
        return TypedResults.Ok(new Success<JsonObject>(ListData.Of("jobs", page.Select(JobView.Of), total, list)));
    }

    /// <summary>The filters both job lists share: status, batch_id, user_id, event, job_type, q.</summary>
    public static (ListQuery List, JobFilter Filter) ReadListQuery(HttpContext context)
    {
        var request = context.Request;
        var list = ListQuery.Parse(request, JobService.Sortable, JobService.Filters);
        var status = ListQuery.Text(request, "status");
        if (status is not null && !JobStatus.All.Contains(status))
        {
            throw ApiException.BadRequest("invalid_query", $"'status' must be one of {string.Join(", ", JobStatus.All)}.", new Dictionary<string, object?> { ["parameter"] = "status" });
        }
        var batchId = ListQuery.Text(request, "batch_id");
        if (batchId is not null)
        {
            Ids.RequireBatchId(batchId);
        }
        var jobType = ListQuery.Text(request, "job_type");
        var filter = new JobFilter(ListQuery.OwnerFilter(request, context.GetCaller()), status, batchId, ListQuery.Text(request, "event"), jobType, ListQuery.Text(request, "q"));
        return (list, filter);
    }

    private static async Task<Ok<Success<JobView>>> GetJob(string jobId, HttpContext context, JobService jobs, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(context.GetCaller(), jobId, cancellationToken);
        return TypedResults.Ok(new Success<JobView>(JobView.Of(job)));
    }

    private static async Task<Ok<Success<JsonObject>>> DeleteJob(string jobId, HttpContext context, JobService jobs, CancellationToken cancellationToken)
    {
        await jobs.DeleteAsync(context.GetCaller(), jobId, cancellationToken);
        return TypedResults.Ok(new Success<JsonObject>(new JsonObject { ["job_id"] = jobId, ["deleted"] = true }, "Job deleted."));
    }

    private static async Task<Ok<Success<JobView>>> RestartJob(string jobId, HttpContext context, JobService jobs, CancellationToken cancellationToken)
    {
        var job = await jobs.RestartAsync(context.GetCaller(), jobId, cancellationToken);
        return TypedResults.Ok(new Success<JobView>(JobView.Of(job), "Job restarted."));
    }

    private static async Task<Ok<Success<JobView>>> CancelJob(string jobId, HttpContext context, JobService jobs, CancellationToken cancellationToken)
    {
        var job = await jobs.CancelAsync(context.GetCaller(), jobId, cancellationToken);
        return TypedResults.Ok(new Success<JobView>(JobView.Of(job)));
    }

    private static async Task<EmptyHttpResult> DownloadArchive(string jobId, HttpContext context, JobService jobs, ZipExport zip, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(context.GetCaller(), jobId, cancellationToken);
        if (job.Results is null)
        {
            throw ApiException.Conflict("no_results", $"Job {job.JobId} has no results to download (it is {job.Status}).");
        }
        await zip.WriteResponseAsync(context, $"{job.JobId}.zip", OutputStore.OwnerPrefix(job.BatchId, job.JobId), new[] { job }.ToAsyncEnumerable(), null, cancellationToken);
        return TypedResults.Empty;
    }
}

/// <summary>The legacy list shape: <c>{"jobs" | "batches": […], "total", "limit", "skip"}</c>.</summary>
internal static class ListData
{
    public static JsonObject Of<T>(string key, IEnumerable<T> items, long total, ListQuery list) => new()
    {
        [key] = JsonSerializer.SerializeToNode(items.ToList(), AppJson.Options),
        ["total"] = total,
        ["limit"] = list.Limit,
        ["skip"] = list.Skip,
    };
}
