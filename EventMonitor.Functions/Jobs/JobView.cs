using System.Text.Json;
using System.Text.Json.Nodes;
using EventMonitor.Functions.Hosting;

namespace EventMonitor.Functions.Jobs;

/// <summary>A job as both APIs show it: the documented fields, without storage internals.</summary>
internal sealed record JobView
{
    public required string JobId { get; init; }
    public required string JobName { get; init; }
    public required string JobType { get; init; }
    public required string Status { get; init; }
    public string? BatchId { get; init; }
    public required string UserId { get; init; }
    public required JobParameters Parameters { get; init; }
    public required JobProgress Progress { get; init; }
    public JobResults? Results { get; init; }
    public JobError? Error { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public bool CancelRequested { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }

    public static JobView Of(Job job) => new()
    {
        JobId = job.JobId,
        JobName = job.JobName,
        JobType = job.JobType,
        Status = job.Status,
        BatchId = job.BatchId,
        UserId = job.UserId,
        Parameters = job.Parameters,
        Progress = job.Progress,
        Results = job.Results,
        Error = job.Error,
        Attempts = job.Attempts,
        NextAttemptAt = job.NextAttemptAt,
        CancelRequested = job.CancelRequested,
        CreatedAt = job.CreatedAt,
        UpdatedAt = job.UpdatedAt,
        StartedAt = job.StartedAt,
        CompletedAt = job.CompletedAt,
    };

    /// <summary>The Jobs API's form: the same fields plus <c>state</c>, which equals <c>status</c>.</summary>
    public static JsonObject WithState(Job job)
    {
        var node = JsonSerializer.SerializeToNode(Of(job), AppJson.Options)!.AsObject();
        node["state"] = job.Status;
        return node;
    }
}
