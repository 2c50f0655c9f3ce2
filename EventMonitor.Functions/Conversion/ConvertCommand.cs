using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Conversion;

/// <summary>
/// <c>EventMonitor.Functions convert &lt;url&gt; [--allow-origin http://127.0.0.1:PORT]</c>: prints the
/// Markdown of one session page without storage, through exactly the converter the worker uses.
/// </summary>
internal static class ConvertCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var allowed = new List<string>();
        string? target = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--allow-origin" && i + 1 < args.Length)
            {
                allowed.Add(args[++i]);
            }
            else
            {
                target ??= args[i];
            }
        }
        if (target is null || !Uri.TryCreate(target, UriKind.Absolute, out var url))
        {
            await Console.Error.WriteLineAsync("usage: convert <url> [--allow-origin http://127.0.0.1:PORT]");
            return 64;
        }
        using var fetcher = new PageFetcher(Options.Create(new FetchOptions { AllowedOrigins = allowed }), TimeProvider.System);
        var converter = new SessionConverter(fetcher);
        try
        {
            var output = await converter.ConvertAsync(new ConversionInput { Url = url, Parameters = new Jobs.JobParameters { Url = url.AbsoluteUri } }, new ConsoleSink(), CancellationToken.None);
            await Console.Out.WriteAsync(output.Markdown);
            return 0;
        }
        catch (ConversionException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.Code}: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Progress goes to stderr so stdout is exactly the Markdown; assets are not stored.</summary>
    private sealed class ConsoleSink : IConversionSink
    {
        public Task ReportAsync(string step, int percent, string message, JsonObject? payload, CancellationToken cancellationToken) =>
            Console.Error.WriteLineAsync($"[{percent,3}%] {step}: {message}");

        public Task<string> SaveAssetAsync(string relativePath, Stream content, string contentType, CancellationToken cancellationToken) =>
            Task.FromResult(relativePath);
    }
}
