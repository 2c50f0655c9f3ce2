using System.ComponentModel.DataAnnotations;

namespace EventMonitor.Functions.Orchestration;

internal sealed class OrchestrationOptions
{
    public const string Section = "Orchestration";

    /// <summary>How long a claimed job belongs to its worker without a renewal.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan JobLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Politeness: concurrent page conversions per site (host and port) in one instance.</summary>
    [Range(1, 64)]
    public int MaxConcurrentPerSite { get; set; } = 4;

    /// <summary>How many times a job is tried for transient failures before it ends failed.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A pending job whose work item is older than this is re-enqueued by the reconciler.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PendingStaleAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The backoff of a job's conversion attempts.</summary>
    public Backoff ToBackoff() => new(MaxAttempts, RetryBaseDelay, RetryMaxDelay);
}
