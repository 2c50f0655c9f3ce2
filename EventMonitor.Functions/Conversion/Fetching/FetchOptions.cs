using System.ComponentModel.DataAnnotations;

namespace EventMonitor.Functions.Conversion.Fetching;

internal sealed class FetchOptions
{
    public const string Section = "Fetch";

    /// <summary>Exact origins (<c>http://127.0.0.1:PORT</c>) allowed past the SSRF guard; Development only.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:30:00")]
    public TimeSpan AttachmentTimeout { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1024, long.MaxValue)]
    public long MaxPageBytes { get; set; } = 10 * 1024 * 1024;

    [Range(1024, long.MaxValue)]
    public long MaxAttachmentBytes { get; set; } = 100 * 1024 * 1024;

    /// <summary>Decompressed bytes allowed per compressed byte before a body counts as a compression bomb.</summary>
    [Range(10, 100_000)]
    public int MaxCompressionRatio { get; set; } = 200;

    [Range(0, 5)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Product token; robots.txt groups are matched against it.</summary>
    public string UserAgentProduct { get; set; } = "EventMonitor";

    /// <summary>Where site owners can reach the operator; goes into the User-Agent.</summary>
    public string Contact { get; set; } = "https://github.com/event-monitor/event-monitor";

    public bool RespectRobotsTxt { get; set; } = true;

    /// <summary>How long a cached resource is used without asking the origin again (then revalidated with ETag/Last-Modified).</summary>
    public TimeSpan CacheMaxAge { get; set; } = TimeSpan.FromHours(12);

    public string UserAgent => $"{UserAgentProduct}/1.0 (+{Contact})";
}
