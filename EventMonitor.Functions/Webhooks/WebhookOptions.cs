using System.ComponentModel.DataAnnotations;
using EventMonitor.Functions.Orchestration;

namespace EventMonitor.Functions.Webhooks;

internal sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>The HMAC-SHA256 key every delivery is signed with; without it no webhook is called. Never logged.</summary>
    [MinLength(16)]
    public string? Secret { get; set; }

    /// <summary>Deliveries per notification before it is given up.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one delivery may take, connection included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public Backoff ToBackoff() => new(MaxAttempts, RetryBaseDelay, RetryMaxDelay);
}
