using EventMonitor.Functions.Batches;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using EventMonitor.Functions.Telemetry;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Orchestration;

/// <summary>
/// Finds work that nothing will pick up on its own: jobs whose worker died (lease expired) and pending
/// jobs whose work item was lost. Both get a new work item; claiming stays conditional, so a job that
/// was only slow is never run twice at once.
/// </summary>
internal sealed partial class Reconciler(StateStore store, JobStore jobs, BatchStore batches, BatchCounter counter, WorkQueue queue, IOptions<OrchestrationOptions> options, TimeProvider time, ILogger<Reconciler> logger)
{
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = Queries.ExpiredLeases(UtcTimestampConverter.Text(now));
        var stale = Queries.StalePending(UtcTimestampConverter.Text(now - options.Value.PendingStaleAfter));
        var recovered = 0;
        var requeued = 0;
        await foreach (var job in store.State.StreamAsync<Job>(expired, null, cancellationToken))
        {
            recovered += await RequeueAsync(job, "its lease expired", j => j.Status == JobStatus.Processing && j.LeaseUntil < now, cancellationToken);
        }
        await foreach (var job in store.State.StreamAsync<Job>(stale, null, cancellationToken))
        {
            requeued += await RequeueAsync(job, "its work item is overdue", j => j.Status == JobStatus.Pending && (j.NextAttemptAt is null || j.NextAttemptAt <= now), cancellationToken);
        }
        // A crash between a job's write and its batch's recount leaves counts behind, or a finished batch's
        // completed event (and webhook) in its outbox; recounting repairs both.
        var recounted = 0;
        foreach (var row in await batches.UnfinishedAsync(cancellationToken))
        {
            await counter.RecountAsync(row.BatchId, cancellationToken);
            recounted++;
        }
        return $"{recovered} expired leases recovered, {requeued} pending jobs re-enqueued, {recounted} unfinished batches recounted.";
    }

    private async Task<int> RequeueAsync(Job job, string reason, Func<Job, bool> stillStuck, CancellationToken cancellationToken)
    {
        using var scope = Correlation.Begin(logger, "requeue job", job.JobId, job.BatchId);
        var now = time.GetUtcNow();
        var updated = await jobs.UpdateAsync(job, j => stillStuck(j) ? j with { Status = JobStatus.Pending, LeaseUntil = null, EnqueuedAt = now, UpdatedAt = now } : null, cancellationToken);
        if (updated is null)
        {
            return 0;
        }
        await queue.EnqueueAsync(new WorkItem { JobId = updated.JobId, Pk = updated.Pk }, null, cancellationToken);
        LogRequeued(logger, updated.JobId, reason);
        return 1;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} re-enqueued: {Reason}")]
    private static partial void LogRequeued(ILogger logger, string jobId, string reason);
}
