using System.Text.Json.Nodes;
using EventMonitor.Functions.Auth;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventMonitor.Functions.Jobs;

/// <summary>The Jobs API under <c>/api/jobs</c>, in the shapes its clients read.</summary>
internal static class JobsV2Api
{
    public static RouteGroupBuilder MapJobsV2Api(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/jobs").WithTags("Jobs").WithCommonErrors();
        group.MapPost("/", CreateJob).WithName("CreateJob").WithErrors(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/", ListJobs).WithName("ListJobs");
        group.MapGet("/{jobId}", GetJob).WithName("GetJob");
        group.MapPost("/{jobId}/cancel", CancelJob).WithName("CancelJob").TakesNoBody();
        group.MapGet("/{jobId}/events", GetEvents).WithName("GetJobEvents");
        return group;
    }

    private static async Task<Created<JobEnvelope>> CreateJob(HttpContext context, JobService jobs, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, cancellationToken);
        var job = await jobs.CreateAsync(context.GetCaller(), JobRequest.Parse(body), cancellationToken);
        return TypedResults.Created($"/api/jobs/{job.JobId}", new JobEnvelope(JobView.WithState(job)));
    }

    private static async Task<Ok<JobEnvelope>> GetJob(string jobId, HttpContext context, JobService jobs, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(context.GetCaller(), jobId, cancellationToken);
        return TypedResults.Ok(new JobEnvelope(JobView.WithState(job)));
    }

    private static async Task<Ok<JobListEnvelope>> ListJobs(HttpContext context, JobService jobs, CancellationToken cancellationToken)
    {
        var (list, filter) = JobsApi.ReadListQuery(context);
        var (page, total) = await jobs.ListAsync(filter, list, cancellationToken);
        return TypedResults.Ok(new JobListEnvelope(page.Select(JobView.WithState).ToList(), total));
    }

    private static async Task<Ok<JobEnvelope>> CancelJob(string jobId, HttpContext context, JobService jobs, CancellationToken cancellationToken)
    {
        var job = await jobs.CancelAsync(context.GetCaller(), jobId, cancellationToken);
        return TypedResults.Ok(new JobEnvelope(JobView.WithState(job)));
    }

    private static async Task<Ok<EventsEnvelope>> GetEvents(string jobId, HttpContext context, JobService jobs, EventLog events, CancellationToken cancellationToken)
    {
        var after = QueryParams.Long(context.Request, "after", 0, 0, long.MaxValue);
        var limit = QueryParams.Int(context.Request, "limit", EventLog.DefaultLimit, 1, EventLog.MaxLimit);
        var job = await jobs.GetAsync(context.GetCaller(), jobId, cancellationToken);
        return TypedResults.Ok(new EventsEnvelope(await events.ReadAsync(job.JobId, after, limit, cancellationToken)));
    }

    internal sealed record JobEnvelope(JsonObject Job)
    {
        public string Status { get; init; } = "success";
    }

    internal sealed record JobListEnvelope(IReadOnlyList<JsonObject> Jobs, long Total)
    {
        public string Status { get; init; } = "success";
    }

    internal sealed record EventsEnvelope(IReadOnlyList<JobEvent> Events)
    {
        public string Status { get; init; } = "success";
    }
}
