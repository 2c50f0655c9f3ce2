using EventMonitor.Functions.Jobs;

namespace EventMonitor.Functions.DeadLetters;

/// <summary>
/// A work item that reached the poison queue, kept for operators in the <c>state</c> container
/// (partition <c>deadletters</c>). The id is the poison message's id, so a redelivery records nothing twice.
/// </summary>
internal sealed record DeadLetter
{
    public const string Partition = "deadletters";
    public const string TypeName = "deadletter";

    public required string Id { get; init; }
    public string Pk { get; init; } = Partition;
    public string Type { get; init; } = TypeName;
    public required string Queue { get; init; }
    public required string MessageText { get; init; }

    /// <summary><c>session</c> or <c>fanout</c>; null when the message names no work item.</summary>
    public string? Kind { get; init; }

    public string? JobId { get; init; }
    public string? BatchId { get; init; }

    /// <summary>The job's (or batch's) owner, when it still existed.</summary>
    public string? UserId { get; init; }

    /// <summary>Failed deliveries before the message was moved: host.json <c>maxDequeueCount</c>, which is when the host moves it.</summary>
    public required int DequeueCount { get; init; }

    /// <summary>How many times a worker had started the job.</summary>
    public int? Attempts { get; init; }

    /// <summary>The job's error once the poison function had failed it.</summary>
    public JobError? Error { get; init; }

    /// <summary>When the message entered the poison queue, as the queue reports it.</summary>
    public DateTimeOffset? InsertedAt { get; init; }

    /// <summary>When the poison function recorded it; lists are newest first by this.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A dead letter as the admin API shows it: the documented fields, without storage internals.</summary>
internal sealed record DeadLetterView
{
    public required string DeadLetterId { get; init; }
    public required string Queue { get; init; }
    public required string MessageText { get; init; }
    public string? Kind { get; init; }
    public string? JobId { get; init; }
    public string? BatchId { get; init; }
    public string? UserId { get; init; }
    public required int DequeueCount { get; init; }
    public int? Attempts { get; init; }
    public JobError? Error { get; init; }
    public DateTimeOffset? InsertedAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    public static DeadLetterView Of(DeadLetter letter) => new()
    {
        DeadLetterId = letter.Id,
        Queue = letter.Queue,
        MessageText = letter.MessageText,
        Kind = letter.Kind,
        JobId = letter.JobId,
        BatchId = letter.BatchId,
        UserId = letter.UserId,
        DequeueCount = letter.DequeueCount,
        Attempts = letter.Attempts,
        Error = letter.Error,
        InsertedAt = letter.InsertedAt,
        CreatedAt = letter.CreatedAt,
    };
}
