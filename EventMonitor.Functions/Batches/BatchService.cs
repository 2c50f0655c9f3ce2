using System.Text.Json;
using System.Text.Json.Nodes;
using EventMonitor.Functions.Auth;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Files;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using EventMonitor.Functions.Orchestration;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Batches;

/// <summary>Everything a caller does to a batch itself; what it does to many of its jobs at once is <see cref="BatchJobs"/>.</summary>
internal sealed class BatchService(
    BatchStore batches,
    BatchCounter counter,
    BatchJobs batchJobs,
    EventLog events,
    OutputStore outputs,
    WorkQueue queue,
    IOptions<LimitsOptions> limits,
    TimeProvider time)
{
    public static readonly IReadOnlyList<string> Sortable = ["created_at", "updated_at", "status", "batch_name"];
    public static readonly IReadOnlyList<string> Filters = ["status", "archived", "active", "event", "q", "user_id"];

    public int MaxJobsPerBatch => limits.Value.MaxJobsPerBatch;

    /// <summary>
    /// Accepts a batch at once: the batch document (with its full job count) and the request as a blob,
    /// then one fan-out work item that creates the jobs (<see cref="BatchFanOut"/>).
    /// </summary>
    public async Task<Batch> CreateAsync(Caller caller, BatchRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var id = Ids.NewBatchId();
        var count = request.Jobs.Count;
        using (var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(request, AppJson.Options)))
        {
            await outputs.WriteAsync(BatchFanOut.RequestBlob(id), body, "application/json", cancellationToken);
        }
        var batch = await batches.CreateAsync(new Batch
        {
            Id = id,
            Pk = id,
            BatchId = id,
            BatchName = request.BatchName,
            Status = request.Active ? BatchStatus.Pending : BatchStatus.Paused,
            Active = request.Active,
            JobCount = count,
            PendingCount = count,
            FanOutPending = true,
            UserId = caller.UserId,
            Event = request.Event,
            Webhook = request.Webhook,
            CreatedAt = now,
            UpdatedAt = now,
        }, cancellationToken);
        await events.AppendAsync(id, "queued", EventLevel.Info, $"Batch accepted with {count} jobs.", new JsonObject { ["job_count"] = count }, cancellationToken);
        await queue.EnqueueAsync(new WorkItem { Kind = WorkItem.FanOut, BatchId = id, Pk = id }, null, cancellationToken);
        return batch;
    }

    public async Task<Batch> GetAsync(Caller caller, string? batchId, CancellationToken cancellationToken)
    {
        var id = Ids.RequireBatchId(batchId);
        var batch = await batches.FindAsync(id, cancellationToken);
        return batch is not null && caller.CanSee(batch.UserId) ? batch : throw ApiException.NotFound("Batch", id);
    }

    public Task<(List<Batch> Batches, long Total)> ListAsync(BatchFilter filter, ListQuery list, CancellationToken cancellationToken) =>
        batches.ListAsync(filter, list, cancellationToken);

    /// <summary>Rename, target language (optionally restarting its jobs), active and archived flags.</summary>
    public async Task<Batch> UpdateAsync(Caller caller, string? batchId, BatchUpdate update, string? ifMatch, CancellationToken cancellationToken)
    {
        var batch = await GetAsync(caller, batchId, cancellationToken);
        if (!EntityTags.Matches(ifMatch, batch.ETag))
        {
            throw new ApiException(StatusCodes.Status412PreconditionFailed, "precondition_failed", "The batch changed since it was read (If-Match does not match its ETag).");
        }
        if (update.Archived == true && !BatchStatus.IsTerminal(batch.Status))
        {
            throw ApiException.Conflict("not_archivable", $"Batch {batch.BatchId} is {batch.Status}; only finished batches can be archived.");
        }
        var now = time.GetUtcNow();
        var updated = await counter.UpdateAsync(batch.BatchId, b =>
        {
            // Checked on the copy being written, so a purge that started after the read still wins.
            if (update.Archived == false || update.ResetJobs)
            {
                RefuseIfPurged(b);
            }
            return b with
            {
                BatchName = update.BatchName ?? b.BatchName,
                TargetLanguage = update.TargetLanguage ?? b.TargetLanguage,
                Active = update.Active ?? b.Active,
                Archived = update.Archived ?? b.Archived,
                ArchivedAt = update.Archived switch { true => b.ArchivedAt ?? now, false => null, null => b.ArchivedAt },
            };
        }, cancellationToken) ?? throw ApiException.NotFound("Batch", batch.BatchId);

        if (update.Active is { } active && active != batch.Active)
        {
            await events.AppendAsync(batch.BatchId, active ? "resumed" : "paused", EventLevel.Info, active ? "Batch resumed." : "Batch paused.", null, cancellationToken);
            if (active)
            {
                await batchJobs.RequeuePendingAsync(batch.BatchId, cancellationToken);
            }
        }
        if (update.Archived is { } archived && archived != batch.Archived)
        {
            await events.AppendAsync(batch.BatchId, archived ? "archived" : "unarchived", EventLevel.Info, archived ? "Batch archived." : "Batch un-archived.", null, cancellationToken);
        }
        if (update.ResetJobs)
        {
            await batchJobs.RestartAsync(updated, all: true, cancellationToken);
            updated = await batches.FindAsync(batch.BatchId, cancellationToken) ?? updated;
        }
        return updated;
    }

    public async Task<Batch> ToggleActiveAsync(Caller caller, string? batchId, CancellationToken cancellationToken)
    {
        var batch = await GetAsync(caller, batchId, cancellationToken);
        return await UpdateAsync(caller, batch.BatchId, new BatchUpdate { Active = !batch.Active }, null, cancellationToken);
    }

    public async Task<Batch> ArchiveAsync(Caller caller, string? batchId, CancellationToken cancellationToken)
    {
        var batch = await GetAsync(caller, batchId, cancellationToken);
        return batch.Archived ? batch : await UpdateAsync(caller, batch.BatchId, new BatchUpdate { Archived = true }, null, cancellationToken);
    }

    /// <summary>Deletes the batch with its jobs, logs and files; refused while a job is processing.</summary>
    public async Task DeleteAsync(Caller caller, string? batchId, CancellationToken cancellationToken)
    {
        var batch = await GetAsync(caller, batchId, cancellationToken);
        var rows = await batches.JobStatusesAsync(batch.BatchId, cancellationToken);
        if (rows.Any(r => r.Status == JobStatus.Processing))
        {
            throw ApiException.Conflict("not_deletable", $"Batch {batch.BatchId} has jobs processing; pause it or fail its jobs first.");
        }
        await batchJobs.DeleteAllAsync(batch.BatchId, cancellationToken);
        await events.DeleteAllAsync(batch.BatchId, cancellationToken);
        await batches.DeleteAsync(batch, cancellationToken);
    }

    /// <summary>A purged batch has no jobs left: un-archiving or restarting it would bring back nothing.</summary>
    public static void RefuseIfPurged(Batch batch)
    {
        if (batch.PurgeStartedAt is not null)
        {
            throw ApiException.Conflict("purged", $"Batch {batch.BatchId} was purged by the retention policy: its jobs and files are deleted (its ZIP snapshot stays in the archive), so it cannot be un-archived or restarted.");
        }
    }

}

/// <summary>What <c>PUT batches/{id}</c> may change; null leaves a value as it is.</summary>
internal sealed record BatchUpdate
{
    public string? BatchName { get; init; }
    public string? TargetLanguage { get; init; }
    public bool? Active { get; init; }
    public bool? Archived { get; init; }
    public bool ResetJobs { get; init; }
}
