using System.ComponentModel.DataAnnotations;

namespace EventMonitor.Functions.Hosting;

/// <summary>Documented limits, enforced with 413.</summary>
internal sealed class LimitsOptions
{
    public const string Section = "Limits";

    [Range(1024, 256L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = HostingSetup.DefaultMaxRequestBodyBytes;

    [Range(1, 100_000)]
    public int MaxJobsPerBatch { get; set; } = 5000;
}
