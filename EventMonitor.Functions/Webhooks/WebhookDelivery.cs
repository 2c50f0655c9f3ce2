using System.Text;
using System.Text.Json.Nodes;
using EventMonitor.Functions.Batches;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Jobs;
using EventMonitor.Functions.Orchestration;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Webhooks;

/// <summary>
/// Runs one <c>webhook</c> work item: reads the job or batch and the final event it reports, POSTs the
/// signed notification, and records the outcome as an event of that job or batch. A failure is retried
/// as a new delayed work item (backoff with jitter, bounded attempts); a URL the SSRF guard refuses is
/// not retried. Nothing here changes the job's or batch's status.
/// </summary>
internal sealed partial class WebhookDelivery(
    JobStore jobs,
    BatchStore batches,
    EventLog events,
    WebhookSender sender,
    WorkQueue queue,
    IOptions<WebhookOptions> options,
    ILogger<WebhookDelivery> logger)
{
    public async Task<string> DeliverAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var owner = item.JobId ?? item.BatchId!;
        var (url, batchId) = item.JobId is not null
            ? await jobs.FindAsync(item.JobId, item.Pk, cancellationToken) is { } job ? (job.Parameters.Webhook, job.BatchId) : (null, null)
            : (await batches.FindAsync(item.BatchId!, cancellationToken))?.Webhook is { } hook ? (hook, item.BatchId) : (null, null);
        var final = url is null ? null : await events.FindOnceAsync(owner, item.EventKey!, cancellationToken);
        if (url is null || final is null)
        {
            return $"{owner}: deleted since it finished; no webhook to call.";
        }
        var deliveryId = WebhookSignature.DeliveryId(item.EventKey!);
        var payload = item.JobId is not null ? WebhookPayload.ForJob(deliveryId, owner, batchId, final) : WebhookPayload.ForBatch(deliveryId, owner, final);
        var target = new Uri(url);
        var record = new Record(owner, deliveryId, item.Attempt, target.Authority);
        if (options.Value.Secret is not { } secret)
        {
            await record.LogAsync(events, "not_configured", EventLevel.Error, "Webhook not called: no signing secret is configured (Webhooks:Secret).", null, cancellationToken);
            return $"{owner}: webhook not called, no secret configured.";
        }

        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var outcome = await sender.SendAsync(target, body, deliveryId, payload["event"]!.GetValue<string>(), secret, cancellationToken);
        switch (outcome.Kind)
        {
            case WebhookOutcome.Result.Delivered:
                LogDelivered(logger, deliveryId, owner, record.Host, item.Attempt);
                await record.LogAsync(events, "delivered", EventLevel.Success, $"Webhook delivered to {record.Host} (attempt {item.Attempt}, {outcome.Detail}).", outcome.StatusCode, cancellationToken);
                return $"{owner}: webhook {deliveryId} delivered.";
            case WebhookOutcome.Result.Blocked:
                LogBlocked(logger, deliveryId, owner, record.Host);
                await record.LogAsync(events, "blocked", EventLevel.Error, $"Webhook not sent, and not retried: {outcome.Detail}", null, cancellationToken);
                return $"{owner}: webhook {deliveryId} blocked.";
        }
        LogFailed(logger, deliveryId, owner, record.Host, item.Attempt, outcome.Detail);
        if (options.Value.ToBackoff().NextDelay(item.Attempt, outcome.RetryAfter) is { } delay)
        {
            await record.LogAsync(events, "retrying", EventLevel.Warning, $"Webhook attempt {item.Attempt} to {record.Host} failed ({outcome.Detail}); retrying in {delay.TotalSeconds:0.#} s.", outcome.StatusCode, cancellationToken);
            await queue.EnqueueAsync(item with { Attempt = item.Attempt + 1 }, delay, cancellationToken);
            return $"{owner}: webhook {deliveryId} failed ({outcome.Detail}), retrying in {delay.TotalSeconds:0.#} s.";
        }
        await record.LogAsync(events, "gave_up", EventLevel.Error, $"Webhook to {record.Host} given up after {item.Attempt} attempts; the last failed with {outcome.Detail}.", outcome.StatusCode, cancellationToken);
        return $"{owner}: webhook {deliveryId} given up.";
    }

    /// <summary>One attempt's outcome as a <c>webhook</c> event, logged once however often the work item is delivered.</summary>
    private sealed record Record(string Owner, string DeliveryId, int Attempt, string Host)
    {
        public async Task LogAsync(EventLog events, string outcome, string level, string message, int? statusCode, CancellationToken cancellationToken)
        {
            var payload = new JsonObject { ["delivery_id"] = DeliveryId, ["outcome"] = outcome, ["attempt"] = Attempt, ["status_code"] = statusCode };
            var key = $"webhook:{DeliveryId}:{Attempt}:{outcome}";
            await events.AppendOnceAsync(Owner, new PendingEvent { Key = key, Type = "webhook", Level = level, Message = message, Payload = payload }, cancellationToken);
        }
    }

    // Host only: a webhook URL's path or query may carry the receiver's own token.
    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {DeliveryId} of {OwnerId} delivered to {Host} on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, string deliveryId, string ownerId, string host, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {DeliveryId} of {OwnerId} to {Host} failed on attempt {Attempt}: {Detail}")]
    private static partial void LogFailed(ILogger logger, string deliveryId, string ownerId, string host, int attempt, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {DeliveryId} of {OwnerId} to {Host} refused by the SSRF guard")]
    private static partial void LogBlocked(ILogger logger, string deliveryId, string ownerId, string host);
}
