using System.Text.Json.Nodes;
using EventMonitor.Functions.Batches;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Hosting;

namespace EventMonitor.Functions.Archiving;

/// <summary>
/// Retention: archived batches archived before a time lose their jobs, job logs and files; the batch
/// document (counts kept), its own log and its ZIP snapshot stay. The batch is frozen first
/// (<c>purge_started_at</c>), so nothing restarts it while its jobs go; a purge that a crash
/// interrupted is found again (no <c>purged_at</c> yet) and finished by the next run.
/// </summary>
internal sealed class BatchPurger(StateStore store, BatchCounter counter, BatchJobs batchJobs, EventLog events)
{
    public async Task<int> RunAsync(DateTimeOffset now, DateTimeOffset archivedBefore, string snapshotContainer, CancellationToken cancellationToken)
    {
        var due = await store.State.ListAsync<Batch>(Queries.PurgeableBatches(UtcTimestampConverter.Text(archivedBefore)), null, cancellationToken);
        var purged = 0;
        foreach (var batch in due)
        {
            var frozen = await counter.UpdateAsync(batch.BatchId, b => b.PurgeStartedAt is null && b.Archived && b.ArchivedAt < archivedBefore ? b with { PurgeStartedAt = now } : b, cancellationToken);
            if (frozen?.PurgeStartedAt is null)
            {
                // Un-archived or deleted since the query.
                continue;
            }
            await batchJobs.DeleteAllAsync(batch.BatchId, cancellationToken);
            var done = await counter.UpdateAsync(batch.BatchId, b => b with { PurgedAt = b.PurgedAt ?? now }, cancellationToken);
            if (done?.PurgedAt is not { } purgedAt)
            {
                continue;
            }
            var snapshot = $"{snapshotContainer}/{batch.BatchId}.zip";
            var payload = new JsonObject { ["snapshot"] = snapshot, ["job_count"] = done.JobCount, ["purged_at"] = UtcTimestampConverter.Text(purgedAt) };
            var message = $"Batch purged by the retention policy: its {done.JobCount} jobs and their files are deleted; the snapshot {snapshot} stays.";
            await events.AppendOnceAsync(batch.BatchId, new PendingEvent { Key = $"{batch.BatchId}:purged", Type = "purged", Level = EventLevel.Info, Message = message, Payload = payload }, cancellationToken);
            purged++;
        }
        return purged;
    }
}
