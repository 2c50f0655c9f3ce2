using System.Text.Json.Serialization;
using EventMonitor.Functions.Events;

namespace EventMonitor.Functions.Jobs;

/// <summary>A job as stored in Cosmos: the documented fields plus the document's id, partition and ETag.</summary>
internal sealed record Job
{
    /// <summary>Document id; equals <see cref="JobId"/>.</summary>
    public required string Id { get; init; }

    /// <summary>Partition key: the batch id for a batch job, the job id for a stand-alone job.</summary>
    public required string Pk { get; init; }

    public string Type { get; init; } = "job";
    public required string JobId { get; init; }
    public required string JobName { get; init; }
    public string JobType { get; init; } = "session";
    public required string Status { get; init; }
    public string? BatchId { get; init; }
    public required string UserId { get; init; }
    public required JobParameters Parameters { get; init; }
    public JobProgress Progress { get; init; } = new();
    public JobResults? Results { get; init; }
    public JobError? Error { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public bool CancelRequested { get; init; }
    public DateTimeOffset? LeaseUntil { get; init; }
    public DateTimeOffset? EnqueuedAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>An event written together with the job's final state and logged exactly once afterwards (an outbox).</summary>
    public PendingEvent? Outbox { get; init; }

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

internal sealed record JobProgress
{
    public string Step { get; init; } = "queued";
    public int Percent { get; init; }
    public string Message { get; init; } = "";
}

internal sealed record JobResults
{
    public required string MarkdownFile { get; init; }
    public IReadOnlyList<string> Assets { get; init; } = [];
    public string? SourceUrl { get; init; }
    public string? ContentHash { get; init; }
    public string? Generator { get; init; }
    public DateTimeOffset? FetchedAt { get; init; }
}

internal sealed record JobError
{
    public required string Code { get; init; }
    public required string Message { get; init; }
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}
