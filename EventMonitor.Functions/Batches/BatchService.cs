using System.Text.Json.Nodes;
using EventMonitor.Functions.Auth;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Files;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using EventMonitor.Functions.Orchestration;
using EventMonitor.Functions.Telemetry;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Batches;

/// <summary>Everything a caller does to batches.</summary>
internal sealed class BatchService(
    BatchStore batches,
    BatchCounter counter,
    JobStore jobStore,
    JobService jobs,
    EventLog events,
    OutputStore outputs,
    WorkQueue queue,
    IOptions<LimitsOptions> limits,
    TimeProvider time,
    ILogger<BatchService> logger)
{
    public static readonly IReadOnlyList<string> Sortable = ["created_at", "updated_at", "status", "batch_name"];
    public static readonly IReadOnlyList<string> Filters = ["status", "archived", "active", "event", "q", "user_id"];
    private const int Parallelism = 8;

    public int MaxJobsPerBatch => limits.Value.MaxJobsPerBatch;

    /// <summary>
    /// Accepts a batch at once: the batch document (with its full job count) and the request as a blob,
    /// then one fan-out work item that creates the jobs (<see cref="FanOutAsync"/>).
    /// </summary>
    public async Task<Batch> CreateAsync(Caller caller, BatchRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var id = Ids.NewBatchId();
        var count = request.Jobs.Count;
        using (var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(request, AppJson.Options)))
        {
            await outputs.WriteAsync(FanOutBlob(id), body, "application/json", cancellationToken);
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

    /// <summary>
    /// Creates the batch's jobs from the stored request and queues them. Job ids are derived from the
    /// batch id and position, so a repeated fan-out (at-least-once delivery) creates nothing twice.
    /// </summary>
    public async Task<string> FanOutAsync(string batchId, CancellationToken cancellationToken)
    {
        var batch = await batches.FindAsync(batchId, cancellationToken);
        if (batch is not { FanOutPending: true })
        {
            return $"{batchId}: nothing to fan out.";
        }
        var blob = await outputs.OpenAsync(FanOutBlob(batchId), cancellationToken) ?? throw new InvalidOperationException($"The request of batch {batchId} is missing.");
        BatchRequest request;
        await using (blob.Content)
        {
            request = await JsonSerializer.DeserializeAsync<BatchRequest>(blob.Content, AppJson.Options, cancellationToken) ?? throw new InvalidOperationException($"The request of batch {batchId} is empty.");
        }
        await Parallel.ForEachAsync(request.Jobs.Select((job, index) => (job, index)), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var jobId = Ids.BatchJobId(batchId, item.index);
            var job = await jobStore.FindAsync(jobId, batchId, ct);
            if (job is null)
            {
                try
                {
                    job = await jobStore.CreateAsync(jobs.NewJob(batch.UserId, item.job, batchId, jobId), ct);
                }
                catch (Microsoft.Azure.Cosmos.CosmosException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Conflict)
                {
                    job = await jobStore.FindAsync(jobId, batchId, ct);
                }
            }
            if (job is { Status: JobStatus.Pending })
            {
                await jobs.QueueAsync(job, ct);
            }
        });
        await counter.UpdateAsync(batchId, b => b with { FanOutPending = false }, cancellationToken);
        await outputs.DeleteAsync(FanOutBlob(batchId), cancellationToken);
        await events.AppendOnceAsync(batchId, $"{batchId}:fanned-out", "progress", EventLevel.Info, $"Created {request.Jobs.Count} jobs.", new JsonObject { ["job_count"] = request.Jobs.Count }, cancellationToken);
        return $"{batchId}: fanned out {request.Jobs.Count} jobs.";
    }

    /// <summary>Where a batch's request waits for its fan-out; outside every owner prefix, so no file route reaches it.</summary>
    private static string FanOutBlob(string batchId) => $"fanout/{batchId}.json";

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
                await RequeuePendingAsync(batch.BatchId, cancellationToken);
            }
        }
        if (update.Archived is { } archived && archived != batch.Archived)
        {
            await events.AppendAsync(batch.BatchId, archived ? "archived" : "unarchived", EventLevel.Info, archived ? "Batch archived." : "Batch un-archived.", null, cancellationToken);
        }
        if (update.ResetJobs)
        {
            await RestartAsync(updated, all: true, cancellationToken);
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

    /// <summary>Restarts the batch's failed jobs, or every finished job with <paramref name="all"/>.</summary>
    public async Task<int> RestartAsync(Batch batch, bool all, CancellationToken cancellationToken)
    {
        RefuseIfPurged(batch);
        var rows = await batches.JobStatusesAsync(batch.BatchId, cancellationToken);
        var targets = rows.Where(r => all ? JobStatus.IsTerminal(r.Status) : r.Status == JobStatus.Failed).ToList();
        var restarted = 0;
        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (row, ct) =>
        {
            var job = await jobStore.FindAsync(row.JobId, batch.BatchId, ct);
            if (job is not null && await jobs.RestartAsync(job, ct) is not null)
            {
                Interlocked.Increment(ref restarted);
            }
        });
        await events.AppendAsync(batch.BatchId, "restarted", EventLevel.Info, $"Restarted {restarted} jobs.", new JsonObject { ["restarted"] = restarted, ["all"] = all }, cancellationToken);
        return restarted;
    }

    /// <summary>Fails every unfinished job of the batch.</summary>
    public async Task<int> FailAsync(Batch batch, string reason, CancellationToken cancellationToken)
    {
        var rows = await batches.JobStatusesAsync(batch.BatchId, cancellationToken);
        var failed = 0;
        await Parallel.ForEachAsync(rows.Where(r => !JobStatus.IsTerminal(r.Status)), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (row, ct) =>
        {
            using var scope = Correlation.Begin(logger, "fail job", row.JobId, batch.BatchId);
            var job = await jobStore.FindAsync(row.JobId, batch.BatchId, ct);
            if (job is not null && await jobs.FailAsync(job, reason, ct))
            {
                Interlocked.Increment(ref failed);
            }
        });
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
            await FanOutAsync(batch.BatchId, cancellationToken);
        }
        var rows = await batches.JobStatusesAsync(batch.BatchId, cancellationToken);
        var (cancelled, requested) = (0, 0);
        await Parallel.ForEachAsync(rows.Where(r => !JobStatus.IsTerminal(r.Status)), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (row, ct) =>
        {
            var job = await jobStore.FindAsync(row.JobId, batch.BatchId, ct);
            var updated = job is null ? null : await jobs.CancelAsync(job, ct);
            if (updated is not null)
            {
                Interlocked.Increment(ref updated.Status == JobStatus.Cancelled ? ref cancelled : ref requested);
            }
        });
        var payload = new JsonObject { ["cancelled"] = cancelled, ["cancel_requested"] = requested };
        await events.AppendAsync(batch.BatchId, "cancel_requested", EventLevel.Warning, $"Cancelled {cancelled} pending jobs; {requested} running jobs stop at their next step.", payload, cancellationToken);
        await counter.RecountAsync(batch.BatchId, cancellationToken);
        return (cancelled, requested);
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
        await DeleteJobsAsync(batch.BatchId, cancellationToken);
        await events.DeleteAllAsync(batch.BatchId, cancellationToken);
        await batches.DeleteAsync(batch, cancellationToken);
    }

    /// <summary>Deletes the batch's jobs with their logs, and its files; the batch document and its own log stay. Safe to repeat.</summary>
    public async Task DeleteJobsAsync(string batchId, CancellationToken cancellationToken)
    {
        var rows = await batches.JobStatusesAsync(batchId, cancellationToken);
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (row, ct) =>
        {
            var job = await jobStore.FindAsync(row.JobId, batchId, ct);
            if (job is not null)
            {
                await jobStore.DeleteAsync(job, ct);
            }
            await events.DeleteAllAsync(row.JobId, ct);
        });
        await outputs.DeletePrefixAsync(OutputStore.OwnerPrefix(batchId, ""), cancellationToken);
    }

    /// <summary>A purged batch has no jobs left: un-archiving or restarting it would bring back nothing.</summary>
    public static void RefuseIfPurged(Batch batch)
    {
        if (batch.PurgeStartedAt is not null)
        {
            throw ApiException.Conflict("purged", $"Batch {batch.BatchId} was purged by the retention policy: its jobs and files are deleted (its ZIP snapshot stays in the archive), so it cannot be un-archived or restarted.");
        }
    }

    private async Task RequeuePendingAsync(string batchId, CancellationToken cancellationToken)
    {
        var rows = await batches.JobStatusesAsync(batchId, cancellationToken);
        foreach (var row in rows.Where(r => r.Status == JobStatus.Pending))
        {
            var job = await jobStore.FindAsync(row.JobId, batchId, cancellationToken);
            if (job is not null)
            {
                await jobs.QueueAsync(job, cancellationToken);
            }
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
