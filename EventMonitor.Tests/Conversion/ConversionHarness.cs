using System.Text.Json.Nodes;
using EventMonitor.Functions.Conversion;
using EventMonitor.Functions.Conversion.Fetching;
using EventMonitor.Functions.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EventMonitor.Tests.Conversion;

/// <summary>The converter wired as the app wires it, with a test server's origin allowed and a recording sink.</summary>
internal static class ConversionHarness
{
    public static string TestDataDirectory => Path.Combine(AppContext.BaseDirectory, "TestData", "Conversion");

    /// <summary>The source tree's copy, where UPDATE_GOLDEN=1 writes new expected files for review.</summary>
    public static string SourceTestDataDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EventMonitor.Tests.csproj")))
            {
                dir = dir.Parent;
            }
            return Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "TestData", "Conversion");
        }
    }

    public static ServiceProvider Services(string? allowedOrigin = null, bool robots = false, bool assets = true, Action<FetchOptions>? fetch = null)
    {
        var provider = new ServiceCollection();
        provider.AddConversion();
        provider.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        provider.AddSingleton<IFetchCache, MemoryFetchCache>();
        provider.Configure<FetchOptions>(o =>
        {
            o.AllowedOrigins = allowedOrigin is null ? [] : [allowedOrigin];
            o.RespectRobotsTxt = robots;
            fetch?.Invoke(o);
        });
        provider.Configure<ConversionOptions>(o =>
        {
            o.DownloadAttachments = assets;
            o.FetchSubtitles = assets;
        });
        return provider.BuildServiceProvider();
    }

    public static Task<ConversionOutput> ConvertFileAsync(SessionConverter converter, string html, Uri pageUrl, JobParameters? parameters = null, RecordingSink? sink = null) =>
        converter.ConvertPageAsync(
            new ConversionInput { Url = pageUrl, Parameters = parameters ?? new JobParameters { Url = pageUrl.AbsoluteUri } },
            new FetchedPage(pageUrl, html, "text/html", DateTimeOffset.UnixEpoch),
            sink ?? new RecordingSink(),
            TestContext.Current.CancellationToken);

    /// <summary>The first line of a golden page is <c>&lt;!-- source: URL --&gt;</c>, the address it is converted as.</summary>
    public static Uri SourceOf(string html)
    {
        const string marker = "<!-- source: ";
        var start = html.IndexOf(marker, StringComparison.Ordinal);
        var end = start < 0 ? -1 : html.IndexOf(" -->", start, StringComparison.Ordinal);
        return start < 0 || end < 0 ? new Uri("https://example.org/session") : new Uri(html[(start + marker.Length)..end]);
    }
}

internal sealed class RecordingSink : IConversionSink
{
    public List<(string Step, string Message)> Reports { get; } = [];
    public Dictionary<string, byte[]> Assets { get; } = new(StringComparer.Ordinal);

    public Task ReportAsync(string step, int percent, string message, JsonObject? payload, CancellationToken cancellationToken)
    {
        lock (Reports)
        {
            Reports.Add((step, message));
        }
        return Task.CompletedTask;
    }

    public async Task<string> SaveAssetAsync(string relativePath, Stream content, string contentType, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        Assets[relativePath] = copy.ToArray();
        return "jobs/test/" + relativePath;
    }
}
