using EventMonitor.Functions.Hosting;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Functions.Batches;

/// <summary>Batch documents: one per batch, in the batch's own partition beside its jobs.</summary>
internal sealed class BatchStore(StateStore store)
{
    public async Task<Batch> CreateAsync(Batch batch, CancellationToken cancellationToken) =>
        (await store.State.CreateItemAsync(batch, new PartitionKey(batch.Pk), cancellationToken: cancellationToken)).Resource;

    public Task<Batch?> FindAsync(string batchId, CancellationToken cancellationToken) =>
        store.State.ReadOrNullAsync<Batch>(batchId, batchId, cancellationToken);

    public Task<Batch?> TryReplaceAsync(Batch batch, CancellationToken cancellationToken) =>
        store.State.TryReplaceAsync(batch with { ETag = null }, batch.Id, batch.Pk, batch.ETag, cancellationToken);

    public Task DeleteAsync(Batch batch, CancellationToken cancellationToken) =>
        store.State.DeleteIfExistsAsync(batch.Id, batch.Pk, cancellationToken);

    /// <summary>Every job's id and status; rows are tiny, so a whole batch comes back in one or a few pages.</summary>
    public Task<List<JobStatusRow>> JobStatusesAsync(string batchId, CancellationToken cancellationToken) =>
        store.State.ListAsync<JobStatusRow>(Queries.BatchJobStatuses(), batchId, cancellationToken, pageSize: 2000);

    public async Task<(List<Batch> Batches, long Total)> ListAsync(BatchFilter filter, ListQuery list, CancellationToken cancellationToken)
    {
        var batches = await store.State.ListAsync<Batch>(Queries.BatchPage(filter, list), null, cancellationToken);
        var total = await store.State.CountAsync(Queries.BatchCount(filter), null, cancellationToken);
        return (batches, total);
    }

    public Task<List<BatchIdRow>> UnfinishedAsync(CancellationToken cancellationToken) =>
        store.State.ListAsync<BatchIdRow>(Queries.UnfinishedBatches(), null, cancellationToken);
}

internal sealed record JobStatusRow
{
    public required string JobId { get; init; }
    public required string Status { get; init; }
}

internal sealed record BatchIdRow
{
    public required string BatchId { get; init; }
}
