using System.Text.Json.Nodes;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Files;
using EventMonitor.Functions.Jobs;
using EventMonitor.Functions.Telemetry;

namespace EventMonitor.Functions.Batches;

/// <summary>
/// What a batch does to many of its jobs at once — restart, fail, cancel, re-queue, delete — each
/// job read and changed on its own, a few at a time, so every job keeps its own guarantees.
/// </summary>
internal sealed class BatchJobs(BatchStore batches, BatchCounter counter, BatchFanOut fanOut, JobStore jobStore, JobService jobs, EventLog events, OutputStore outputs, ILogger<BatchJobs> logger)
{
    private const int Parallelism = 8;

    /// <summary>Restarts the batch's failed jobs, or every finished job with <paramref name="all"/>.</summary>
    public async Task<int> RestartAsync(Batch batch, bool all, CancellationToken cancellationToken)
    {
        BatchService.RefuseIfPurged(batch);
        var restarted = await ForEachAsync(batch.BatchId, status => all ? JobStatus.IsTerminal(status) : status == JobStatus.Failed,
            async (job, ct) => await jobs.RestartAsync(job, ct) is not null, cancellationToken);
        await events.AppendAsync(batch.BatchId, "restarted", EventLevel.Info, $"Restarted {restarted} jobs.", new JsonObject { ["restarted"] = restarted, ["all"] = all }, cancellationToken);
        return restarted;
    }

    /// <summary>Fails every unfinished job of the batch.</summary>
    public async Task<int> FailAsync(Batch batch, string reason, CancellationToken cancellationToken)
    {
        var failed = await ForEachAsync(batch.BatchId, Unfinished, async (job, ct) =>
        {
            using var scope = Correlation.Begin(logger, "fail job", job.JobId, batch.BatchId);
            return await jobs.FailAsync(job, reason, ct);
        }, cancellationToken);
        await events.AppendAsync(batch.BatchId, "error", EventLevel.Error, $"Failed {failed} unfinished jobs: {reason}", new JsonObject { ["failed"] = failed }, cancellationToken);
        await counter.RecountAsync(batch.BatchId, cancellationToken);
        return failed;
    }

    /// <summary>
    /// Cancels every unfinished job of the batch: pending ones at once, running ones at their next step.
    /// A batch still being fanned out is fanned out first (idempotent), so no job escapes the cancel.
    /// </summary>
    public async Task<(int Cancelled, int Requested)> CancelAsync(Batch batch, CancellationToken cancellationToken)
    {
        if (batch.FanOutPending)
        {
            await fanOut.RunAsync(batch.BatchId, cancellationToken);
        }
        var requested = 0;
        var cancelled = await ForEachAsync(batch.BatchId, Unfinished, async (job, ct) =>
        {
            var updated = await jobs.CancelAsync(job, ct);
            if (updated is { Status: JobStatus.Processing })
            {
                Interlocked.Increment(ref requested);
            }
            return updated is { Status: JobStatus.Cancelled };
        }, cancellationToken);
        var payload = new JsonObject { ["cancelled"] = cancelled, ["cancel_requested"] = requested };
        await events.AppendAsync(batch.BatchId, "cancel_requested", EventLevel.Warning, $"Cancelled {cancelled} pending jobs; {requested} running jobs stop at their next step.", payload, cancellationToken);
        await counter.RecountAsync(batch.BatchId, cancellationToken);
        return (cancelled, requested);
    }

    /// <summary>Queues the batch's pending jobs again (after a resume).</summary>
    public Task<int> RequeuePendingAsync(string batchId, CancellationToken cancellationToken) =>
        ForEachAsync(batchId, status => status == JobStatus.Pending, async (job, ct) =>
        {
            await jobs.QueueAsync(job, ct);
            return true;
        }, cancellationToken);

    /// <summary>Deletes the batch's jobs with their logs, and its files; the batch document and its own log stay. Safe to repeat.</summary>
    public async Task DeleteAllAsync(string batchId, CancellationToken cancellationToken)
    {
        var rows = await batches.JobStatusesAsync(batchId, cancellationToken);
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (row, ct) =>
        {
            var job = await jobStore.FindAsync(row.JobId, batchId, ct);
            if (job is not null)
            {
                await jobStore.DeleteAsync(job, ct);
            }
            // Also when the job is already gone: a repeat after a crash still removes its log.
            await events.DeleteAllAsync(row.JobId, ct);
        });
        await outputs.DeletePrefixAsync(OutputStore.OwnerPrefix(batchId, ""), cancellationToken);
    }

    private static bool Unfinished(string status) => !JobStatus.IsTerminal(status);

    /// <summary>Runs <paramref name="action"/> on each job whose status matches; returns how many it reported as done.</summary>
    private async Task<int> ForEachAsync(string batchId, Func<string, bool> matches, Func<Job, CancellationToken, Task<bool>> action, CancellationToken cancellationToken)
    {
        var rows = await batches.JobStatusesAsync(batchId, cancellationToken);
        var done = 0;
        await Parallel.ForEachAsync(rows.Where(r => matches(r.Status)), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (row, ct) =>
        {
            var job = await jobStore.FindAsync(row.JobId, batchId, ct);
            if (job is not null && await action(job, ct))
            {
                Interlocked.Increment(ref done);
            }
        });
        return done;
    }
}
