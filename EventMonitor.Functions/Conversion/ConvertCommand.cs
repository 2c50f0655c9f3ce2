using System.Text.Json.Nodes;
using EventMonitor.Functions.Conversion.Fetching;
using EventMonitor.Functions.Jobs;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Conversion;

/// <summary>
/// <c>EventMonitor.Functions convert &lt;url-or-file&gt; [--allow-origin http://127.0.0.1:PORT] [--base-url URL] [--no-robots] [--no-assets]</c>:
/// prints the Markdown of one session page without storage, through exactly the converter the worker uses.
/// A file is converted as if fetched from <c>--base-url</c> (default <c>https://localhost/</c> + its name).
/// With <c>--out-dir DIR</c> it converts every URL given and writes DIR/&lt;n&gt;.md for the n-th.
/// </summary>
internal static class ConvertCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--bench", var folder, ..])
        {
            var rounds = args is [_, _, "--rounds", var n, ..] && int.TryParse(n, System.Globalization.CultureInfo.InvariantCulture, out var r) ? r : 5;
            return await BenchCommand.RunAsync(folder, rounds);
        }
        var allowed = new List<string>();
        string? target = null, baseUrl = null, outDir = null;
        var targets = new List<string>();
        var robots = true;
        var assets = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--allow-origin" when i + 1 < args.Length:
                    allowed.Add(args[++i]);
                    break;
                case "--base-url" when i + 1 < args.Length:
                    baseUrl = args[++i];
                    break;
                case "--no-robots":
                    robots = false;
                    break;
                case "--no-assets":
                    assets = false;
                    break;
                case "--out-dir" when i + 1 < args.Length:
                    outDir = args[++i];
                    break;
                default:
                    target ??= args[i];
                    targets.Add(args[i]);
                    break;
            }
        }
        if (target is null)
        {
            await Console.Error.WriteLineAsync("usage: convert <url-or-file> [--allow-origin http://127.0.0.1:PORT] [--base-url URL] [--no-robots] [--no-assets]");
            return 64;
        }
        using var services = Build(allowed, robots, assets);
        var converter = services.GetRequiredService<SessionConverter>();
        if (outDir is not null)
        {
            return await ConvertManyAsync(converter, targets, outDir);
        }
        try
        {
            ConversionOutput output;
            if (File.Exists(target))
            {
                var pageUrl = new Uri(baseUrl ?? "https://localhost/" + Uri.EscapeDataString(Path.GetFileName(target)));
                var bytes = await File.ReadAllBytesAsync(target);
                var page = new FetchedPage(pageUrl, TextDecoding.Decode(bytes, null), "text/html", DateTimeOffset.UnixEpoch);
                output = await converter.ConvertPageAsync(new ConversionInput { Url = pageUrl, Parameters = new JobParameters { Url = pageUrl.AbsoluteUri } }, page, new ConsoleSink(), CancellationToken.None);
            }
            else if (Uri.TryCreate(target, UriKind.Absolute, out var url))
            {
                output = await converter.ConvertAsync(new ConversionInput { Url = url, Parameters = new JobParameters { Url = url.AbsoluteUri } }, new ConsoleSink(), CancellationToken.None);
            }
            else
            {
                await Console.Error.WriteLineAsync($"{target}: neither a file nor an absolute URL.");
                return 64;
            }
            await Console.Out.WriteAsync(output.Markdown);
            await Console.Out.FlushAsync();
            return 0;
        }
        catch (ConversionException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.Code}: {ex.Message}");
            return 1;
        }
    }

    /// <summary><c>--out-dir DIR url…</c>: converts each URL in one process and writes DIR/&lt;n&gt;.md (n = its position).</summary>
    private static async Task<int> ConvertManyAsync(SessionConverter converter, List<string> urls, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var failed = 0;
        for (var n = 0; n < urls.Count; n++)
        {
            try
            {
                var url = new Uri(urls[n]);
                var output = await converter.ConvertAsync(new ConversionInput { Url = url, Parameters = new JobParameters { Url = url.AbsoluteUri } }, new ConsoleSink(), CancellationToken.None);
                await File.WriteAllTextAsync(Path.Combine(outDir, $"{n}.md"), output.Markdown);
            }
            catch (Exception ex) when (ex is ConversionException or UriFormatException)
            {
                await Console.Error.WriteLineAsync($"{urls[n]}: {ex.Message}");
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }

    internal static ServiceProvider Build(List<string> allowed, bool robots, bool assets)
    {
        var services = new ServiceCollection();
        services.AddConversion();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.Configure<FetchOptions>(o =>
        {
            o.AllowedOrigins = allowed;
            o.RespectRobotsTxt = robots;
        });
        services.Configure<ConversionOptions>(o =>
        {
            o.DownloadAttachments = assets;
            o.FetchSubtitles = assets;
        });
        return services.BuildServiceProvider();
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
