using System.Text.Json;
using System.Text.Json.Nodes;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Files;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;

namespace EventMonitor.Functions.Batches;

/// <summary>
/// Creates a batch's jobs from its stored request and queues them. Job ids are derived from the
/// batch id and position, so a repeated fan-out (at-least-once delivery) creates nothing twice.
/// </summary>
internal sealed class BatchFanOut(BatchStore batches, BatchCounter counter, JobStore jobStore, JobService jobs, EventLog events, OutputStore outputs)
{
    private const int Parallelism = 8;

    /// <summary>Where a batch's request waits for its fan-out; outside every owner prefix, so no file route reaches it.</summary>
    public static string RequestBlob(string batchId) => $"fanout/{batchId}.json";

    public async Task<string> RunAsync(string batchId, CancellationToken cancellationToken)
    {
        var batch = await batches.FindAsync(batchId, cancellationToken);
        if (batch is not { FanOutPending: true })
        {
            return $"{batchId}: nothing to fan out.";
        }
        var blob = await outputs.OpenAsync(RequestBlob(batchId), cancellationToken) ?? throw new InvalidOperationException($"The request of batch {batchId} is missing.");
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
        await outputs.DeleteAsync(RequestBlob(batchId), cancellationToken);
        await events.AppendOnceAsync(batchId, $"{batchId}:fanned-out", "progress", EventLevel.Info, $"Created {request.Jobs.Count} jobs.", new JsonObject { ["job_count"] = request.Jobs.Count }, cancellationToken);
        return $"{batchId}: fanned out {request.Jobs.Count} jobs.";
    }
}
