namespace EventMonitor.Functions.Batches;

/// <summary>A batch as the API shows it.</summary>
internal sealed record BatchView
{
    public required string BatchId { get; init; }
    public required string BatchName { get; init; }
    public required string Status { get; init; }
    public required bool Active { get; init; }
    public required bool Archived { get; init; }
    public required int JobCount { get; init; }
    public required int PendingCount { get; init; }
    public required int ProcessingCount { get; init; }
    public required int CompletedCount { get; init; }
    public required int FailedCount { get; init; }
    public required int CancelledCount { get; init; }
    public required string UserId { get; init; }
    public string? Event { get; init; }
    public string? TargetLanguage { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? ArchivedAt { get; init; }
    public DateTimeOffset? PurgedAt { get; init; }
    public string? Webhook { get; init; }

    public static BatchView Of(Batch b) => new()
    {
        BatchId = b.BatchId,
        BatchName = b.BatchName,
        Status = b.Status,
        Active = b.Active,
        Archived = b.Archived,
        JobCount = b.JobCount,
        PendingCount = b.PendingCount,
        ProcessingCount = b.ProcessingCount,
        CompletedCount = b.CompletedCount,
        FailedCount = b.FailedCount,
        CancelledCount = b.CancelledCount,
        UserId = b.UserId,
        Event = b.Event,
        TargetLanguage = b.TargetLanguage,
        CreatedAt = b.CreatedAt,
        UpdatedAt = b.UpdatedAt,
        CompletedAt = b.CompletedAt,
        ArchivedAt = b.ArchivedAt,
        PurgedAt = b.PurgedAt,
        Webhook = b.Webhook,
    };
}
