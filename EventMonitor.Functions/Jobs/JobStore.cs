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
        var own = await store.State.ReadOrNullAsync<JsonElement>(jobId, jobId, cancellationToken);
        if (own.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (own.TryGetProperty("type", out var type) && type.GetString() == JobLocator.TypeName)
        {
            return await FindAsync(jobId, own.GetProperty("batch_id").GetString()!, cancellationToken);
        }
        return own.Deserialize<Job>(AppJson.Options);
    }

    public Task<Job?> FindAsync(string jobId, string partition, CancellationToken cancellationToken) =>
        store.State.ReadOrNullAsync<Job>(jobId, partition, cancellationToken);

    /// <summary>Replaces the job only if nobody changed it since it was read; null when somebody did.</summary>
    public Task<Job?> TryReplaceAsync(Job job, CancellationToken cancellationToken) =>
        store.State.TryReplaceAsync(job with { ETag = null }, job.Id, job.Pk, job.ETag, cancellationToken);

    public async Task DeleteAsync(Job job, CancellationToken cancellationToken)
    {
        await store.State.DeleteIfExistsAsync(job.Id, job.Pk, cancellationToken);
        if (job.BatchId is not null)
        {
            await store.State.DeleteIfExistsAsync(job.Id, job.Id, cancellationToken);
        }
    }

    public async Task<(List<Job> Jobs, long Total)> ListAsync(JobFilter filter, ListQuery list, CancellationToken cancellationToken)
    {
        // A batch filter keeps both queries inside the batch's partition.
        var partition = filter.BatchId;
        var jobs = await store.State.ListAsync<Job>(Queries.JobPage(filter, list), partition, cancellationToken);
        var total = await store.State.CountAsync(Queries.JobCount(filter), partition, cancellationToken);
        return (jobs, total);
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
