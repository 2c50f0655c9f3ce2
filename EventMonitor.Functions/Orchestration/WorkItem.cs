using System.Text.Json;
using EventMonitor.Functions.Hosting;

namespace EventMonitor.Functions.Orchestration;

/// <summary>A queue message: ids only, never a payload (64 KiB limit, docs/api.md).</summary>
internal sealed record WorkItem
{
    public const string Session = "session";
    public const string FanOut = "fanout";

    /// <summary><c>session</c> (convert one job) or <c>fanout</c> (create a batch's jobs).</summary>
    public string Kind { get; init; } = Session;

    public string? JobId { get; init; }

    public string? BatchId { get; init; }

    /// <summary>The job's partition (its batch id, or its own id when stand-alone).</summary>
    public required string Pk { get; init; }

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
