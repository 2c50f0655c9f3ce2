using System.Text.Json.Nodes;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;

namespace EventMonitor.Functions.Webhooks;

/// <summary>
/// The notification bodies, built from the final event a delivery reports, which never changes: every
/// retry sends the same bytes, even when the job was restarted since.
/// </summary>
internal static class WebhookPayload
{
    public const string JobFinished = "job.finished";
    public const string BatchFinished = "batch.finished";

    public static JsonObject ForJob(string deliveryId, string jobId, string? batchId, JobEvent final)
    {
        var status = final.Type switch
        {
            "completed" => JobStatus.Completed,
            "cancelled" => JobStatus.Cancelled,
            _ => JobStatus.Failed,
        };
        return new JsonObject
        {
            ["event"] = JobFinished,
            ["delivery_id"] = deliveryId,
            ["job_id"] = jobId,
            ["batch_id"] = batchId,
            ["status"] = status,
            ["finished_at"] = FinishedAt(final),
            ["error"] = status == JobStatus.Failed ? new JsonObject { ["code"] = Text(final, "code") ?? "failed", ["message"] = final.Message } : null,
            ["results"] = Text(final, "markdown_file") is { } file ? new JsonObject { ["markdown_file"] = file } : null,
        };
    }

    public static JsonObject ForBatch(string deliveryId, string batchId, JobEvent final) => new()
    {
        ["event"] = BatchFinished,
        ["delivery_id"] = deliveryId,
        ["batch_id"] = batchId,
        ["status"] = Text(final, "status"),
        ["finished_at"] = FinishedAt(final),
        ["job_count"] = final.Payload?["job_count"]?.DeepClone(),
        ["completed_count"] = final.Payload?["completed"]?.DeepClone(),
        ["failed_count"] = final.Payload?["failed"]?.DeepClone(),
        ["cancelled_count"] = final.Payload?["cancelled"]?.DeepClone(),
    };

    private static string FinishedAt(JobEvent final) =>
        Text(final, "finished_at") ?? UtcTimestampConverter.Text(DateTimeOffset.FromUnixTimeMilliseconds((long)(final.Timestamp * 1000)));

    private static string? Text(JobEvent final, string name) =>
        final.Payload?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
