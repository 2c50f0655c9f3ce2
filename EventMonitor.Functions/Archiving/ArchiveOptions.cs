using System.ComponentModel.DataAnnotations;

namespace EventMonitor.Functions.Archiving;

internal sealed class ArchiveOptions
{
    public const string Section = "Archiving";

    /// <summary>A finished batch is archived this long after it finished.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan After { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// An archived batch's jobs, job logs and files are deleted this long after it was archived; its
    /// document, counts, own log and ZIP snapshot stay. Unset: never.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "36500.00:00:00")]
    public TimeSpan? PurgeAfter { get; set; }

    /// <summary>The blob container that holds each archived batch's ZIP snapshot.</summary>
    [Required]
    public string Container { get; set; } = "archives";
}
