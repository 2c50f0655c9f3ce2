using System.Text.Json.Nodes;
using EventMonitor.Functions.Auth;
using EventMonitor.Functions.Batches;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Files;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Orchestration;

namespace EventMonitor.Functions.Jobs;

/// <summary>Everything a caller does to jobs: create, find, list, cancel, restart, delete.</summary>
internal sealed class JobService(JobStore jobs, EventLog events, JobOutbox outbox, WorkQueue queue, BatchCounter counter, OutputStore outputs, TimeProvider time)
{
    public static readonly IReadOnlyList<string> Sortable = ["created_at", "updated_at", "status", "job_name"];
    public static readonly IReadOnlyList<string> Filters = ["status", "batch_id", "user_id", "event", "job_type", "q"];

    public async Task<Job> CreateAsync(Caller caller, JobRequest request, CancellationToken cancellationToken)
    {
        var job = await jobs.CreateAsync(NewJob(caller.UserId, request, null), cancellationToken);
        await QueueAsync(job, cancellationToken);
        return job;
    }

    /// <summary>A new pending job document; a batch job lives in its batch's partition.</summary>
    public Job NewJob(string userId, JobRequest request, string? batchId, string? jobId = null)
    {
        var now = time.GetUtcNow();
        var id = jobId ?? Ids.NewJobId();
        return new Job
        {
            Id = id,
            Pk = batchId ?? id,
            JobId = id,
            JobName = request.JobName,
            Status = JobStatus.Pending,
            BatchId = batchId,
            UserId = userId,
            Parameters = request.Parameters,
            Progress = Queued,
            EnqueuedAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Logs <c>queued</c> (once per attempt) and sends the work item; safe to repeat.</summary>
    public async Task QueueAsync(Job job, CancellationToken cancellationToken)
    {
        await events.AppendOnceAsync(job.JobId, $"{job.JobId}:{job.Attempts}:queued", "queued", EventLevel.Info, "Job queued.", new JsonObject { ["url"] = job.Parameters.Url }, cancellationToken);
        await queue.EnqueueAsync(new WorkItem { JobId = job.JobId, Pk = job.Pk }, null, cancellationToken);
    }

    /// <summary>The caller's job; another user's job answers 404 like a missing one.</summary>
    public async Task<Job> GetAsync(Caller caller, string? jobId, CancellationToken cancellationToken)
    {
        var id = Ids.RequireJobId(jobId);
        var job = await jobs.FindAsync(id, cancellationToken);
        return job is not null && caller.CanSee(job.UserId) ? job : throw ApiException.NotFound("Job", id);
    }

    public Task<(List<Job> Jobs, long Total)> ListAsync(JobFilter filter, ListQuery list, CancellationToken cancellationToken) =>
        jobs.ListAsync(filter, list, cancellationToken);

    /// <summary>Pending: cancelled at once. Processing: asked to stop at its next step. Terminal: unchanged.</summary>
    public async Task<Job> CancelAsync(Caller caller, string? jobId, CancellationToken cancellationToken)
    {
        var job = await GetAsync(caller, jobId, cancellationToken);
        return await CancelAsync(job, cancellationToken) ?? await jobs.FindAsync(job.JobId, job.Pk, cancellationToken) ?? job;
    }

    /// <summary>Cancels an unfinished job (or asks a running one to stop); null when there was nothing to change.</summary>
    public async Task<Job?> CancelAsync(Job job, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var updated = await jobs.UpdateAsync(job, j => j.Status switch
        {
            JobStatus.Pending => JobOutbox.End(j with { Status = JobStatus.Cancelled, CancelRequested = true, CompletedAt = now, UpdatedAt = now, NextAttemptAt = null, Progress = j.Progress with { Message = "Cancelled." } }),
            JobStatus.Processing when !j.CancelRequested => j with { CancelRequested = true, UpdatedAt = now },
            _ => null,
        }, cancellationToken);
        if (updated is null)
        {
            return null;
        }
        if (updated.Status == JobStatus.Cancelled)
        {
            await outbox.FlushAsync(updated, recount: true, byWorker: false, cancellationToken);
        }
        else
        {
            await events.AppendAsync(job.JobId, "cancel_requested", EventLevel.Warning, "Cancel requested; the job stops at its next step.", null, cancellationToken);
        }
        return updated;
    }

    /// <summary>From a terminal state back to pending, with results, error, progress and old files cleared.</summary>
    public async Task<Job> RestartAsync(Caller caller, string? jobId, CancellationToken cancellationToken)
    {
        var job = await GetAsync(caller, jobId, cancellationToken);
        return await RestartAsync(job, cancellationToken) ?? throw ApiException.Conflict("not_restartable", $"Job {job.JobId} is {job.Status}; only completed, failed or cancelled jobs can be restarted.");
    }

    /// <summary>Restarts a terminal job; null when it is not terminal.</summary>
    public async Task<Job?> RestartAsync(Job job, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var before = job;
        var restarted = await jobs.UpdateAsync(job, j =>
        {
            before = j;
            return JobStatus.IsTerminal(j.Status)
                ? j with { Status = JobStatus.Pending, Results = null, Error = null, Progress = Queued, CancelRequested = false, NextAttemptAt = null, LeaseUntil = null, StartedAt = null, CompletedAt = null, EnqueuedAt = now, UpdatedAt = now }
                : null;
        }, cancellationToken);
        if (restarted is null)
        {
            return null;
        }
        await DeleteFilesAsync(before, cancellationToken);
        await events.AppendAsync(job.JobId, "restarted", EventLevel.Info, $"Restarted from {before.Status}.", new JsonObject { ["from"] = before.Status }, cancellationToken);
        await RecountAsync(restarted, cancellationToken);
        await QueueAsync(restarted, cancellationToken);
        return restarted;
    }

    /// <summary>Deletes a terminal job with its files and log, and adjusts its batch.</summary>
    public async Task DeleteAsync(Caller caller, string? jobId, CancellationToken cancellationToken)
    {
        var job = await GetAsync(caller, jobId, cancellationToken);
        if (!JobStatus.IsTerminal(job.Status))
        {
            throw ApiException.Conflict("not_deletable", $"Job {job.JobId} is {job.Status}; cancel it first or wait until it ends.");
        }
        await DeleteFilesAsync(job, cancellationToken);
        await jobs.DeleteAsync(job, cancellationToken);
        await events.DeleteAllAsync(job.JobId, cancellationToken);
        await RecountAsync(job, cancellationToken);
    }

    /// <summary>Ends an unfinished job as failed at once (fail-all; the caller recounts); a running worker sees it at its next step.</summary>
    public async Task<bool> FailAsync(Job job, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var failed = await jobs.UpdateAsync(job, j => JobStatus.IsTerminal(j.Status) ? null : JobOutbox.End(j with
        {
            Status = JobStatus.Failed,
            Error = new JobError { Code = "failed_by_user", Message = reason },
            LeaseUntil = null,
            NextAttemptAt = null,
            CompletedAt = now,
            UpdatedAt = now,
        }), cancellationToken);
        if (failed is null)
        {
            return false;
        }
        await outbox.FlushAsync(failed, recount: false, byWorker: false, cancellationToken);
        return true;
    }

    public async Task DeleteFilesAsync(Job job, CancellationToken cancellationToken)
    {
        if (job.Results is null)
        {
            return;
        }
        foreach (var path in job.Results.Assets.Prepend(job.Results.MarkdownFile))
        {
            await outputs.DeleteAsync(path, cancellationToken);
        }
    }

    private Task RecountAsync(Job job, CancellationToken cancellationToken) =>
        job.BatchId is null ? Task.CompletedTask : counter.RecountAsync(job.BatchId, cancellationToken);

    private static JobProgress Queued => new() { Step = "queued", Percent = 0, Message = "Waiting for a worker." };
}
