using System.ComponentModel.DataAnnotations;

namespace EventMonitor.Functions.Conversion;

internal sealed class FetchOptions
{
    public const string Section = "Fetch";

    /// <summary>Exact origins (<c>http://127.0.0.1:PORT</c>) allowed past the SSRF guard; Development only.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1024, long.MaxValue)]
    public long MaxPageBytes { get; set; } = 10 * 1024 * 1024;

    [Range(0, 20)]
    public int MaxRedirects { get; set; } = 5;

    public string UserAgent { get; set; } = "EventMonitor/1.0 (+https://github.com/event-monitor)";
}
