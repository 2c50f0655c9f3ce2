using System.Text.Json.Nodes;
using EventMonitor.Functions.Batches;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Orchestration;

namespace EventMonitor.Functions.Jobs;

/// <summary>
/// A job's final event travels in the same document write as its final state (the outbox) and is
/// logged exactly once afterwards, together with its webhook delivery; whoever ends a job goes through here.
/// </summary>
internal sealed class JobOutbox(JobStore jobs, EventLog events, BatchCounter counter, WorkQueue queue, JobEndings endings)
{
    /// <summary>The ended job with its final event in the outbox; <paramref name="ended"/> is terminal, with its completion time.</summary>
    public static Job End(Job ended, string cancelledMessage = "Job cancelled.")
    {
        var at = ended.CompletedAt!.Value;
        // The end time keeps the key unique when a restarted job ends again within the same attempt count.
        var key = $"{ended.JobId}:{ended.Attempts}:{ended.Status}:{at.UtcTicks}";
        var payload = new JsonObject { ["finished_at"] = UtcTimestampConverter.Text(at) };
        var pending = ended.Status switch
        {
            JobStatus.Completed => new PendingEvent { Key = key, Type = "completed", Level = EventLevel.Success, Message = $"Completed: {ended.Results!.MarkdownFile}.", Payload = Add(payload, "markdown_file", ended.Results.MarkdownFile) },
            JobStatus.Cancelled => new PendingEvent { Key = key, Type = "cancelled", Level = EventLevel.Warning, Message = cancelledMessage, Payload = payload },
            _ => new PendingEvent { Key = key, Type = "error", Level = EventLevel.Error, Message = ended.Error!.Message, Payload = Add(payload, "code", ended.Error.Code) },
        };
        return ended with { Outbox = pending };
    }

    /// <summary>
    /// Logs the outbox event once, queues the webhook delivery, clears the outbox and (unless the caller
    /// recounts itself) recounts the batch; safe to repeat after a crash. The job's end is counted by the
    /// call that logs the event, so a repeat never counts it twice.
    /// </summary>
    /// <param name="byWorker">Ended by the worker that ran it, so claim to end is a running time.</param>
    public async Task FlushAsync(Job job, bool recount, bool byWorker, CancellationToken cancellationToken)
    {
        if (job.Outbox is not { } pending)
        {
            return;
        }
        if (await events.AppendOnceAsync(job.JobId, pending, cancellationToken))
        {
            endings.Record(job, byWorker);
        }
        // Queued before the outbox is cleared: a crash in between repeats the delivery under the same id, never loses it.
        if (job.Parameters.Webhook is not null)
        {
            await queue.EnqueueAsync(WorkItem.ForWebhook(job.JobId, job.BatchId, job.Pk, pending.Key), null, cancellationToken);
        }
        await jobs.UpdateAsync(job, j => j.Outbox?.Key == pending.Key ? j with { Outbox = null } : null, cancellationToken);
        if (recount && job.BatchId is not null)
        {
            await counter.RecountAsync(job.BatchId, cancellationToken);
        }
    }

    private static JsonObject Add(JsonObject payload, string name, string value)
    {
        payload[name] = value;
        return payload;
    }
}
