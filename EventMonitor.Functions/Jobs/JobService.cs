using System.Text.Json.Nodes;
using EventMonitor.Functions.Auth;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Orchestration;

namespace EventMonitor.Functions.Jobs;

/// <summary>Creating and finding jobs on behalf of a caller.</summary>
internal sealed class JobService(JobStore jobs, EventLog events, WorkQueue queue, TimeProvider time)
{
    public async Task<Job> CreateAsync(Caller caller, JobRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var id = Ids.NewJobId();
        var job = new Job
        {
            Id = id,
            Pk = id,
            JobId = id,
            JobName = request.JobName,
            Status = JobStatus.Pending,
            UserId = caller.UserId,
            Parameters = request.Parameters,
            Progress = new JobProgress { Step = "queued", Percent = 0, Message = "Waiting for a worker." },
            EnqueuedAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        job = await jobs.CreateAsync(job, cancellationToken);
        await events.AppendAsync(id, "queued", EventLevel.Info, "Job created and queued.", new JsonObject { ["url"] = request.Parameters.Url }, cancellationToken);
        await queue.EnqueueAsync(new WorkItem { JobId = id, Pk = job.Pk }, null, cancellationToken);
        return job;
    }

    /// <summary>The caller's job; another user's job answers 404 like a missing one (contract §6).</summary>
    public async Task<Job> GetAsync(Caller caller, string? jobId, CancellationToken cancellationToken)
    {
        var id = Ids.RequireJobId(jobId);
        var job = await jobs.FindAsync(id, cancellationToken);
        return job is not null && caller.CanSee(job.UserId) ? job : throw ApiException.NotFound("Job", id);
    }
}
