using System.Text.Json.Nodes;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Jobs;

namespace EventMonitor.Functions.Batches;

/// <summary>
/// Keeps a batch's counts equal to a recount of its jobs. Every job change is followed by a recount
/// that reads the batch's ETag before it queries the jobs and writes under that ETag, so the last
/// write always saw every change before it; a crash between a job write and its recount is repaired
/// by the reconciler's recount. Recounts asked for at the same time in one process are folded
/// together (<see cref="RecountLanes"/>), so a batch's many finishing jobs cost a few recounts, not one each.
/// </summary>
internal sealed class BatchCounter(BatchStore batches, EventLog events, TimeProvider time)
{
    private const int MaxTries = 20;
    private readonly RecountLanes _lanes = new();

    /// <summary>Returns once a recount that started after this call has been written.</summary>
    public Task RecountAsync(string batchId, CancellationToken cancellationToken) =>
        _lanes.RunAsync(batchId, () => UpdateAsync(batchId, b => b, CancellationToken.None), cancellationToken);

    /// <summary>Applies a change to the batch (name, flags) and recounts in the same conditional write.</summary>
    public async Task<Batch?> UpdateAsync(string batchId, Func<Batch, Batch> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxTries; attempt++)
        {
            var batch = await batches.FindAsync(batchId, cancellationToken);
            if (batch is null)
            {
                return null;
            }
            var rows = await batches.JobStatusesAsync(batchId, cancellationToken);
            var counted = Count(change(batch), rows);
            if (counted == batch)
            {
                return batch;
            }
            var stored = await batches.TryReplaceAsync(counted with { UpdatedAt = time.GetUtcNow() }, cancellationToken);
            if (stored is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * (attempt + 1))), time, cancellationToken);
                continue;
            }
            if (BatchStatus.IsTerminal(stored.Status) && !BatchStatus.IsTerminal(batch.Status))
            {
                var level = stored.Status == BatchStatus.Completed ? EventLevel.Success : EventLevel.Warning;
                var payload = new JsonObject { ["status"] = stored.Status, ["completed"] = stored.CompletedCount, ["failed"] = stored.FailedCount, ["cancelled"] = stored.CancelledCount };
                await events.AppendAsync(batchId, "completed", level, $"Batch finished: {stored.Status}.", payload, cancellationToken);
            }
            return stored;
        }
        throw new InvalidOperationException($"Batch {batchId} kept changing under {MaxTries} concurrent recounts.");
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
