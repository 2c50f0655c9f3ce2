using System.Net;
using System.Text.Json;
using EventMonitor.Functions.Hosting;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Functions.Jobs;

/// <summary>
/// Job documents in Cosmos. A batch job lives in its batch's partition; a small locator document in
/// the job's own partition points there, so a job id alone is always two point reads at most.
/// </summary>
internal sealed class JobStore(StateStore store)
{
    public async Task<Job> CreateAsync(Job job, CancellationToken cancellationToken)
    {
        if (job.BatchId is not null)
        {
            var locator = new JobLocator { Id = job.JobId, Pk = job.JobId, BatchId = job.BatchId };
            await store.State.UpsertItemAsync(locator, new PartitionKey(job.JobId), cancellationToken: cancellationToken);
        }
        var response = await store.State.CreateItemAsync(job, new PartitionKey(job.Pk), cancellationToken: cancellationToken);
        return response.Resource;
    }

    public async Task<Job?> FindAsync(string jobId, CancellationToken cancellationToken)
    {
        var own = await ReadAsync<JsonElement>(jobId, jobId, cancellationToken);
        if (own.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (own.TryGetProperty("type", out var type) && type.GetString() == JobLocator.TypeName)
        {
            var batchId = own.GetProperty("batch_id").GetString()!;
            var inBatch = await ReadAsync<JsonElement>(jobId, batchId, cancellationToken);
            return inBatch.ValueKind == JsonValueKind.Object ? inBatch.Deserialize<Job>(AppJson.Options) : null;
        }
        return own.Deserialize<Job>(AppJson.Options);
    }

    public async Task<Job?> FindAsync(string jobId, string partition, CancellationToken cancellationToken)
    {
        var found = await ReadAsync<JsonElement>(jobId, partition, cancellationToken);
        return found.ValueKind == JsonValueKind.Object ? found.Deserialize<Job>(AppJson.Options) : null;
    }

    /// <summary>Replaces the job only if nobody changed it since it was read; null when somebody did.</summary>
    public async Task<Job?> TryReplaceAsync(Job job, CancellationToken cancellationToken)
    {
        try
        {
            var options = new ItemRequestOptions { IfMatchEtag = job.ETag };
            var response = await store.State.ReplaceItemAsync(job with { ETag = null }, job.Id, new PartitionKey(job.Pk), options, cancellationToken);
            return response.Resource;
        }
        catch (CosmosException ex) when (ex.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(Job job, CancellationToken cancellationToken)
    {
        await IgnoreMissingAsync(store.State.DeleteItemAsync<object>(job.Id, new PartitionKey(job.Pk), cancellationToken: cancellationToken));
        if (job.BatchId is not null)
        {
            await IgnoreMissingAsync(store.State.DeleteItemAsync<object>(job.Id, new PartitionKey(job.Id), cancellationToken: cancellationToken));
        }
    }

    private async Task<T?> ReadAsync<T>(string id, string partition, CancellationToken cancellationToken)
    {
        try
        {
            return (await store.State.ReadItemAsync<T>(id, new PartitionKey(partition), cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }
    }

    private static async Task IgnoreMissingAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: deleting is idempotent.
        }
    }

    private sealed record JobLocator
    {
        public const string TypeName = "job-locator";
        public required string Id { get; init; }
        public required string Pk { get; init; }
        public string Type { get; init; } = TypeName;
        public required string BatchId { get; init; }
    }
}
