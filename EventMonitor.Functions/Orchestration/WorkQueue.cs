using Azure.Storage.Queues;
using EventMonitor.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Orchestration;

/// <summary>Sends work items; a delayed item is how a retry with backoff is scheduled.</summary>
internal sealed class WorkQueue(QueueServiceClient queues, IOptions<StorageOptions> options)
{
    public async Task EnqueueAsync(WorkItem item, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var queue = queues.GetQueueClient(options.Value.WorkQueue);
        await queue.SendMessageAsync(item.Serialize(), visibilityTimeout: delay, cancellationToken: cancellationToken);
    }
}
