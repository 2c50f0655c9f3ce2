using System.Text.Json.Serialization;
using EventMonitor.Functions.Events;

namespace EventMonitor.Functions.Batches;

/// <summary>A batch as stored: its counts are always a recount of its jobs, its status derived from them.</summary>
internal sealed record Batch
{
    public required string Id { get; init; }
    public required string Pk { get; init; }
    public string Type { get; init; } = "batch";
    public required string BatchId { get; init; }
    public required string BatchName { get; init; }
    public required string Status { get; init; }
    public bool Active { get; init; } = true;
    public bool Archived { get; init; }
    public int JobCount { get; init; }
    public int PendingCount { get; init; }
    public int ProcessingCount { get; init; }
    public int CompletedCount { get; init; }
    public int FailedCount { get; init; }
    public int CancelledCount { get; init; }
    public required string UserId { get; init; }
    public string? Event { get; init; }
    public string? TargetLanguage { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? ArchivedAt { get; init; }

    /// <summary>Called with the batch's counts when it finishes.</summary>
    public string? Webhook { get; init; }

    /// <summary>Set when a retention purge starts: from then on the batch is frozen (counts kept, no un-archive, no restart).</summary>
    public DateTimeOffset? PurgeStartedAt { get; init; }

    /// <summary>Set when the purge has deleted the batch's jobs, logs of jobs and files; the archive snapshot stays.</summary>
    public DateTimeOffset? PurgedAt { get; init; }

    /// <summary>The <c>completed</c> event, written with the change that finished the batch and logged once afterwards.</summary>
    public PendingEvent? Outbox { get; init; }

    /// <summary>True until the fan-out has created every job; until then <see cref="JobCount"/> is the requested number.</summary>
    public bool FanOutPending { get; init; }

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

internal static class BatchStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Completed = "completed";
    public const string CompletedWithErrors = "completed_with_errors";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Pending, Running, Paused, Completed, CompletedWithErrors, Cancelled];

    public static bool IsTerminal(string status) => status is Completed or CompletedWithErrors or Cancelled;

    /// <summary>Contract §1: derived from the counts and the active flag, never set by hand.</summary>
    public static string Derive(int pending, int processing, int completed, int failed, int cancelled, bool active)
    {
        var total = pending + processing + completed + failed + cancelled;
        if (total > 0 && pending + processing == 0)
        {
            return failed > 0 ? CompletedWithErrors : cancelled > 0 ? Cancelled : Completed;
        }
        if (!active)
        {
            return Paused;
        }
        return pending == total ? Pending : Running;
    }
}
