using System.Diagnostics.Metrics;
using Azure;
using Azure.Storage.Queues;
using EventMonitor.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Telemetry;

/// <summary>
/// The gauges <c>eventmonitor.queue.depth</c> and <c>eventmonitor.queue.poison_depth</c>: the approximate
/// message count (invisible and delayed messages included) of the work queue and its poison queue,
/// read from the queue's properties when collected and reused for a while.
/// </summary>
internal sealed partial class QueueDepth
{
    // Collection runs on the exporter's thread; a slow storage answer must not hold it for long.
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private readonly IOptions<TelemetryOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<QueueDepth> _logger;

    public QueueDepth(AppMetrics metrics, QueueServiceClient queues, IOptions<StorageOptions> storage, IOptions<TelemetryOptions> options, TimeProvider time, ILogger<QueueDepth> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        var work = new CachedCount(queues.GetQueueClient(storage.Value.WorkQueue));
        var poison = new CachedCount(queues.GetQueueClient(storage.Value.PoisonQueue));
        metrics.Meter.CreateObservableGauge("eventmonitor.queue.depth", () => Observe(work), "{message}", "Approximate number of messages in the work queue.");
        metrics.Meter.CreateObservableGauge("eventmonitor.queue.poison_depth", () => Observe(poison), "{message}", "Approximate number of messages in the work queue's poison queue.");
    }

    private IEnumerable<Measurement<long>> Observe(CachedCount count)
    {
        lock (count)
        {
            var now = _time.GetUtcNow();
            if (count.ReadAt is null || now - count.ReadAt >= _options.Value.QueueDepthCacheDuration)
            {
                count.Value = Read(count.Queue);
                count.ReadAt = now;
            }
            return count.Value is { } value ? [new Measurement<long>(value)] : [];
        }
    }

    /// <summary>The count, 0 for a queue not created yet, or nothing when storage does not answer.</summary>
    private long? Read(QueueClient queue)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        try
        {
            return queue.GetProperties(timeout.Token).Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }
        catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException)
        {
            LogReadFailed(_logger, queue.Name, ex);
            return null;
        }
    }

    private sealed class CachedCount(QueueClient queue)
    {
        public QueueClient Queue { get; } = queue;
        public long? Value { get; set; }
        public DateTimeOffset? ReadAt { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the message count of queue {Queue}")]
    private static partial void LogReadFailed(ILogger logger, string queue, Exception ex);
}
