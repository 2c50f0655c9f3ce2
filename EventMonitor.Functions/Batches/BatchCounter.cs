using System.Text.Json.Nodes;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using EventMonitor.Functions.Orchestration;

namespace EventMonitor.Functions.Batches;

/// <summary>
/// Keeps a batch's counts equal to a recount of its jobs. Every job change is followed by a recount
/// that reads the batch's ETag before it queries the jobs and writes under that ETag, so the last
/// write always saw every change before it; a crash between a job write and its recount is repaired
/// by the reconciler's recount. The write that finishes the batch carries its <c>completed</c> event
/// (an outbox), logged once afterwards together with the batch's webhook delivery. Recounts asked
/// for at the same time in one process are folded together (<see cref="RecountLanes"/>), so a
/// batch's many finishing jobs cost a few recounts, not one each.
/// </summary>
internal sealed class BatchCounter(BatchStore batches, EventLog events, WorkQueue queue, TimeProvider time)
{
    private const int MaxTries = 20;
    private readonly RecountLanes _lanes = new();

    /// <summary>Returns once a recount that started after this call has been written.</summary>
    public Task RecountAsync(string batchId, CancellationToken cancellationToken) =>
        _lanes.RunAsync(batchId, () => UpdateAsync(batchId, b => b, CancellationToken.None), cancellationToken);

    /// <summary>Applies a change to the batch (name, flags) and recounts in the same conditional write.</summary>
    public async Task<Batch?> UpdateAsync(string batchId, Func<Batch, Batch> change, CancellationToken cancellationToken)
    {
        var stored = await WriteAsync(batchId, change, cancellationToken);
        // Also flushes an outbox a crashed writer left behind, on the next recount (the reconciler's at the latest).
        while (stored?.Outbox is { } pending)
        {
            await events.AppendOnceAsync(batchId, pending, cancellationToken);
            // Queued before the outbox is cleared: a crash in between repeats the delivery under the same id, never loses it.
            if (stored.Webhook is not null)
            {
                await queue.EnqueueAsync(WorkItem.ForWebhook(null, batchId, batchId, pending.Key), null, cancellationToken);
            }
            stored = await WriteAsync(batchId, b => b.Outbox?.Key == pending.Key ? b with { Outbox = null } : b, cancellationToken);
        }
        return stored;
    }

    private async Task<Batch?> WriteAsync(string batchId, Func<Batch, Batch> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxTries; attempt++)
        {
            var batch = await batches.FindAsync(batchId, cancellationToken);
            if (batch is null)
            {
                return null;
            }
            var changed = change(batch);
            // A purged batch has no jobs left to count: its counts are the record of what it was.
            var counted = changed.PurgeStartedAt is null ? Count(changed, await batches.JobStatusesAsync(batchId, cancellationToken)) : changed;
            if (BatchStatus.IsTerminal(counted.Status) && !BatchStatus.IsTerminal(batch.Status))
            {
                counted = counted with { Outbox = Finished(counted) };
            }
            if (counted == batch)
            {
                return batch;
            }
            var stored = await batches.TryReplaceAsync(counted with { UpdatedAt = time.GetUtcNow() }, cancellationToken);
            if (stored is not null)
            {
                return stored;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * (attempt + 1))), time, cancellationToken);
        }
        throw new InvalidOperationException($"Batch {batchId} kept changing under {MaxTries} concurrent recounts.");
    }

    private static PendingEvent Finished(Batch batch)
    {
        var at = batch.CompletedAt!.Value;
        return new PendingEvent
        {
            // The finish time keeps the key unique when a restarted batch finishes again.
            Key = $"{batch.BatchId}:completed:{at.UtcTicks}",
            Type = "completed",
            Level = batch.Status == BatchStatus.Completed ? EventLevel.Success : EventLevel.Warning,
            Message = $"Batch finished: {batch.Status}.",
            Payload = new JsonObject
            {
                ["status"] = batch.Status,
                ["job_count"] = batch.JobCount,
                ["completed"] = batch.CompletedCount,
                ["failed"] = batch.FailedCount,
                ["cancelled"] = batch.CancelledCount,
                ["finished_at"] = UtcTimestampConverter.Text(at),
            },
        };
    }

    private Batch Count(Batch batch, List<JobStatusRow> rows)
    {
        int Of(string status) => rows.Count(r => r.Status == status);
        var (pending, processing, completed, failed, cancelled) = (Of(JobStatus.Pending), Of(JobStatus.Processing), Of(JobStatus.Completed), Of(JobStatus.Failed), Of(JobStatus.Cancelled));
        // Jobs the fan-out has not created yet are pending too.
        var total = batch.FanOutPending ? Math.Max(batch.JobCount, rows.Count) : rows.Count;
        pending += total - rows.Count;
        var status = BatchStatus.Derive(pending, processing, completed, failed, cancelled, batch.Active);
        var terminal = BatchStatus.IsTerminal(status);
        return batch with
        {
            JobCount = total,
            PendingCount = pending,
            ProcessingCount = processing,
            CompletedCount = completed,
            FailedCount = failed,
            CancelledCount = cancelled,
            Status = status,
            CompletedAt = terminal ? batch.CompletedAt ?? time.GetUtcNow() : null,
        };
    }
}
