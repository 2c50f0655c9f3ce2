using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using EventMonitor.Functions.Batches;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Files;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using EventMonitor.Functions.Telemetry;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Archiving;

/// <summary>
/// The <c>ArchiveBatches</c> timer: batches finished longer ago than <see cref="ArchiveOptions.After"/>
/// get a ZIP snapshot in the archive container and are marked archived, each logged as a batch event.
/// Safe to repeat: a batch already archived is no longer found, and a snapshot is overwritten whole.
/// With <see cref="ArchiveOptions.PurgeAfter"/> set, batches archived longer ago than that are then purged.
/// </summary>
internal sealed partial class BatchArchiver(StateStore store, BlobServiceClient blobs, BatchCounter counter, EventLog events, ZipExport zip, BatchPurger purger, IOptions<ArchiveOptions> options, ILogger<BatchArchiver> logger)
{
    public async Task<string> RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(options.Value.Container);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var due = await store.State.ListAsync<Batch>(Queries.ArchivableBatches(UtcTimestampConverter.Text(now - options.Value.After)), null, cancellationToken);
        var archived = 0;
        foreach (var batch in due)
        {
            using var scope = Correlation.Begin(logger, "archive batch", null, batch.BatchId);
            var snapshot = SnapshotName(batch.BatchId);
            await using (var target = await container.GetBlobClient(snapshot).OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken))
            {
                var jobs = store.State.StreamAsync<Job>(Queries.BatchJobsWithStatus(JobStatus.Completed), batch.BatchId, cancellationToken);
                await zip.WriteAsync(target, OutputStore.OwnerPrefix(batch.BatchId, ""), jobs, batch.BatchName, cancellationToken);
            }
            var updated = await counter.UpdateAsync(batch.BatchId, b => b with { Archived = true, ArchivedAt = b.ArchivedAt ?? now }, cancellationToken);
            if (updated is not null)
            {
                var payload = new JsonObject { ["snapshot"] = $"{options.Value.Container}/{snapshot}", ["finished_at"] = batch.CompletedAt?.ToString("O") };
                await events.AppendOnceAsync(batch.BatchId, $"{batch.BatchId}:archived:{UtcTimestampConverter.Text(updated.ArchivedAt!.Value)}", "archived", EventLevel.Info, "Batch archived on schedule.", payload, cancellationToken);
                archived++;
                LogArchived(logger, batch.BatchId, snapshot);
            }
        }
        var report = $"{archived} batches archived (finished before {UtcTimestampConverter.Text(now - options.Value.After)}).";
        if (options.Value.PurgeAfter is { } purgeAfter)
        {
            var purged = await purger.RunAsync(now, now - purgeAfter, options.Value.Container, cancellationToken);
            report += $" {purged} batches purged (archived before {UtcTimestampConverter.Text(now - purgeAfter)}).";
        }
        return report;
    }

    /// <summary>The batch's snapshot as it was written when the batch was archived; null when there is none.</summary>
    public async Task<Stream?> OpenSnapshotAsync(string batchId, CancellationToken cancellationToken)
    {
        var blob = blobs.GetBlobContainerClient(options.Value.Container).GetBlobClient(SnapshotName(batchId));
        try
        {
            return await blob.OpenReadAsync(cancellationToken: cancellationToken);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    private static string SnapshotName(string batchId) => $"{batchId}.zip";

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId} archived as {Snapshot}")]
    private static partial void LogArchived(ILogger logger, string batchId, string snapshot);
}
