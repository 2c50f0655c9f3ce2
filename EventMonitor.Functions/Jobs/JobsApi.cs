using EventMonitor.Functions.Auth;
using EventMonitor.Functions.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventMonitor.Functions.Jobs;

/// <summary>The legacy job endpoints under <c>/api/event-job</c>.</summary>
internal static class JobsApi
{
    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/event-job/jobs").WithTags("Jobs (legacy)");
        group.MapPost("/", CreateJob).WithName("CreateJobLegacy");
        group.MapGet("/{jobId}", GetJob).WithName("GetJobLegacy");
        return group;
    }

    private static async Task<Created<Success<JobView>>> CreateJob(HttpContext context, JobService jobs, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, cancellationToken);
        var job = await jobs.CreateAsync(context.GetCaller(), JobRequest.Parse(body), cancellationToken);
        return TypedResults.Created($"/api/event-job/jobs/{job.JobId}", new Success<JobView>(JobView.Of(job), "Job created."));
    }

    private static async Task<Ok<Success<JobView>>> GetJob(string jobId, HttpContext context, JobService jobs, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(context.GetCaller(), jobId, cancellationToken);
        return TypedResults.Ok(new Success<JobView>(JobView.Of(job)));
    }
}
