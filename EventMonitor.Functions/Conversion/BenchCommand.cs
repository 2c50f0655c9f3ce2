using System.Diagnostics;
using EventMonitor.Functions.Conversion.Fetching;
using EventMonitor.Functions.Jobs;

namespace EventMonitor.Functions.Conversion;

/// <summary>
/// <c>convert --bench &lt;dir&gt; [--rounds 5]</c>: converts every <c>*.html</c> in a folder through
/// <see cref="SessionConverter.ConvertPageAsync"/> (the worker's path after the fetch; no downloads),
/// checks outputs against <c>&lt;name&gt;.expected.md</c> where present, and prints the median round.
/// </summary>
internal static class BenchCommand
{
    public static async Task<int> RunAsync(string folder, int rounds)
    {
        var files = Directory.GetFiles(folder, "*.html").Order(StringComparer.Ordinal).ToList();
        var pages = files.Select(f => (Name: Path.GetFileNameWithoutExtension(f), Html: File.ReadAllText(f), Bytes: new FileInfo(f).Length)).ToList();
        using var services = ConvertCommand.Build([], robots: false, assets: false);
        var converter = services.GetRequiredService<SessionConverter>();
        var sink = new NullSink();
        var fallback = 0;
        var mismatches = new List<string>();
        // Three warm-up rounds (as on the Turndown side); the first also checks every output against its golden file.
        foreach (var (name, html, _) in pages)
        {
            var output = await ConvertOneAsync(converter, sink, html);
            fallback += output.Markdown.Contains("\nplatform: readability\n", StringComparison.Ordinal) ? 1 : 0;
            var golden = Path.Combine(folder, name + ".expected.md");
            if (File.Exists(golden) && await File.ReadAllTextAsync(golden) != $"<!-- path: {output.RelativePath} -->\n" + output.Markdown)
            {
                mismatches.Add(name);
            }
        }
        for (var warm = 0; warm < 2; warm++)
        {
            foreach (var page in pages)
            {
                await ConvertOneAsync(converter, sink, page.Html);
            }
        }
        var times = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var page in pages)
            {
                await ConvertOneAsync(converter, sink, page.Html);
            }
            times.Add(clock.Elapsed.TotalSeconds);
        }
        var median = times.Order().ElementAt(times.Count / 2);
        var megabytes = pages.Sum(p => p.Bytes) / 1_000_000.0;
        await Console.Out.WriteLineAsync(FormattableString.Invariant(
            $"event-monitor pages={pages.Count} bytes={pages.Sum(p => p.Bytes)} rounds={rounds} median_s={median:0.0000} pages_per_s={pages.Count / median:0.0} mb_per_s={megabytes / median:0.00} readability_fallback={fallback}/{pages.Count} golden_mismatches={mismatches.Count}"));
        foreach (var name in mismatches)
        {
            await Console.Error.WriteLineAsync("golden mismatch: " + name);
        }
        return mismatches.Count == 0 ? 0 : 1;
    }

    private static Task<ConversionOutput> ConvertOneAsync(SessionConverter converter, IConversionSink sink, string html)
    {
        var url = SourceOf(html);
        return converter.ConvertPageAsync(new ConversionInput { Url = url, Parameters = new JobParameters { Url = url.AbsoluteUri } },
            new FetchedPage(url, html, "text/html", DateTimeOffset.UnixEpoch), sink, CancellationToken.None);
    }

    private static Uri SourceOf(string html)
    {
        const string marker = "<!-- source: ";
        var start = html.IndexOf(marker, StringComparison.Ordinal);
        var end = start < 0 ? -1 : html.IndexOf(" -->", start, StringComparison.Ordinal);
        return start < 0 || end < 0 ? new Uri("https://localhost/page") : new Uri(html[(start + marker.Length)..end]);
    }

    private sealed class NullSink : IConversionSink
    {
        public Task ReportAsync(string step, int percent, string message, System.Text.Json.Nodes.JsonObject? payload, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<string> SaveAssetAsync(string relativePath, Stream content, string contentType, CancellationToken cancellationToken) => Task.FromResult(relativePath);
    }
}
