using System.Text.Json.Nodes;
using EventMonitor.Functions.Jobs;

namespace EventMonitor.Functions.Conversion;

/// <summary>What one session conversion needs: the page and the caller's parameters.</summary>
internal sealed record ConversionInput
{
    public required Uri Url { get; init; }
    public required JobParameters Parameters { get; init; }
}

/// <summary>Where a conversion reports its steps and writes its assets; the worker and the CLI each provide one.</summary>
internal interface IConversionSink
{
    Task ReportAsync(string step, int percent, string message, JsonObject? payload, CancellationToken cancellationToken);

    /// <summary>Stores an asset below the owner prefix and returns its storage-relative path.</summary>
    Task<string> SaveAssetAsync(string relativePath, Stream content, string contentType, CancellationToken cancellationToken);
}

/// <summary>The Markdown of one session and where it goes below the owner prefix.</summary>
internal sealed record ConversionOutput
{
    /// <summary><c>&lt;event-slug&gt;/&lt;lang&gt;/&lt;track-slug&gt;/&lt;file&gt;.md</c>.</summary>
    public required string RelativePath { get; init; }
    public required string Markdown { get; init; }
    public IReadOnlyList<string> Assets { get; init; } = [];
    public required string SourceUrl { get; init; }
    public required DateTimeOffset FetchedAt { get; init; }
    public required string Generator { get; init; }
}

/// <summary>A conversion failure with a stable code; transient ones may succeed when tried again.</summary>
internal sealed class ConversionException(string code, string message, bool transient = false, Exception? inner = null)
    : Exception(message, inner)
{
    public string Code { get; } = code;
    public bool Transient { get; } = transient;
    public TimeSpan? RetryAfter { get; init; }
}
