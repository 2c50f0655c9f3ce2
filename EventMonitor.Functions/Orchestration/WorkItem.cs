using System.Text.Json;
using EventMonitor.Functions.Hosting;

namespace EventMonitor.Functions.Orchestration;

/// <summary>A queue message: ids only, never a payload (64 KiB limit, docs/api.md).</summary>
internal sealed record WorkItem
{
    public const string Session = "session";
    public const string FanOut = "fanout";
    public const string Webhook = "webhook";
    private const int MaxEventKeyLength = 200;

    /// <summary><c>session</c> (convert one job), <c>fanout</c> (create a batch's jobs) or <c>webhook</c> (deliver one notification).</summary>
    public string Kind { get; init; } = Session;

    public string? JobId { get; init; }

    public string? BatchId { get; init; }

    /// <summary>The job's partition (its batch id, or its own id when stand-alone).</summary>
    public required string Pk { get; init; }

    /// <summary>Webhook only: the key of the final event the notification reports (its delivery id derives from it).</summary>
    public string? EventKey { get; init; }

    /// <summary>Webhook only: which delivery attempt this message is, from 1.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The first delivery of a job's (<paramref name="jobId"/>) or a batch's final event to its webhook.</summary>
    public static WorkItem ForWebhook(string? jobId, string? batchId, string pk, string eventKey) =>
        new() { Kind = Webhook, JobId = jobId, BatchId = jobId is null ? batchId : null, Pk = pk, EventKey = eventKey };

    public string Serialize() => JsonSerializer.Serialize(this, AppJson.Options);

    public static WorkItem? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            var item = JsonSerializer.Deserialize<WorkItem>(text, AppJson.Options);
            var valid = item?.Kind switch
            {
                Session => Ids.IsJobId(item.JobId) && item.Pk.Length > 0,
                FanOut => Ids.IsBatchId(item.BatchId),
                Webhook => (Ids.IsJobId(item.JobId) || Ids.IsBatchId(item.BatchId)) && item.Pk.Length > 0
                    && item.EventKey is { Length: > 0 and <= MaxEventKeyLength } && item.Attempt >= 1,
                _ => false,
            };
            return valid ? item : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
