using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Orchestration;

/// <summary>
/// Finds work that nothing will pick up on its own: jobs whose worker died (lease expired) and pending
/// jobs whose work item was lost. Both get a new work item; claiming stays conditional, so a job that
/// was only slow is never run twice at once.
/// </summary>
internal sealed class Reconciler(StateStore store, JobStore jobs, WorkQueue queue, IOptions<OrchestrationOptions> options, TimeProvider time)
{
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = Queries.ExpiredLeases(UtcTimestampConverter.Text(now));
        var stale = Queries.StalePending(UtcTimestampConverter.Text(now - options.Value.PendingStaleAfter));
        var recovered = 0;
        var requeued = 0;
        await foreach (var job in QueryAsync(expired, cancellationToken))
        {
            recovered += await RequeueAsync(job, j => j.Status == JobStatus.Processing && j.LeaseUntil < now, cancellationToken);
        }
        await foreach (var job in QueryAsync(stale, cancellationToken))
        {
            requeued += await RequeueAsync(job, j => j.Status == JobStatus.Pending && (j.NextAttemptAt is null || j.NextAttemptAt <= now), cancellationToken);
        }
        return $"{recovered} expired leases recovered, {requeued} pending jobs re-enqueued.";
    }

    private async Task<int> RequeueAsync(Job job, Func<Job, bool> stillStuck, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var updated = await jobs.UpdateAsync(job, j => stillStuck(j) ? j with { Status = JobStatus.Pending, LeaseUntil = null, EnqueuedAt = now, UpdatedAt = now } : null, cancellationToken);
        if (updated is null)
        {
            return 0;
        }
        await queue.EnqueueAsync(new WorkItem { JobId = updated.JobId, Pk = updated.Pk }, null, cancellationToken);
        return 1;
    }

    private async IAsyncEnumerable<Job> QueryAsync(QueryDefinition query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var iterator = store.State.GetItemQueryIterator<Job>(query, requestOptions: new QueryRequestOptions { MaxItemCount = 100 });
        while (iterator.HasMoreResults)
        {
            foreach (var job in await iterator.ReadNextAsync(cancellationToken))
            {
                yield return job;
            }
        }
    }
}
