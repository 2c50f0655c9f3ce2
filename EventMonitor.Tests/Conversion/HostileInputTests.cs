using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using EventMonitor.Functions.Conversion;
using EventMonitor.Functions.Conversion.Fetching;
using EventMonitor.Functions.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EventMonitor.Tests.Conversion;

/// <summary>
/// Hostile inputs fail with their own error code within the stated time (page timeout 2 s here, so
/// each case ends in under 5 s), and the same converter then still converts a benign page. Managed
/// heap growth over the whole sequence stays under 64 MB (a 50 MB page is refused while streaming).
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private const string Benign = "<html><head><title>Benign</title></head><body><main><h1>Benign</h1><p>Fine.</p></main></body></html>";
    private readonly PageServer _server = new();
    private readonly ServiceProvider _services;
    private readonly SessionConverter _converter;

    public HostileInputTests()
    {
        _services = ConversionHarness.Services(_server.Origin, robots: false, fetch: o => o.Timeout = TimeSpan.FromSeconds(2));
        _converter = _services.GetRequiredService<SessionConverter>();
        _server.MapHtml("/benign", Benign);
    }

    public static TheoryData<string, string> Cases() => new()
    {
        { "/big", "too_large" },
        { "/slow", "timeout" },
        { "/loop", "redirect_loop" },
        { "/to-loopback", "ssrf_blocked" },
        { "/to-metadata", "ssrf_blocked" },
        { "/to-ipv6-loopback", "ssrf_blocked" },
        { "/to-private", "ssrf_blocked" },
        { "/to-localhost-name", "ssrf_blocked" },
        { "/to-file", "ssrf_blocked" },
        { "/gzip-bomb", "decompression_limit" },
        { "/pdf", "unsupported_content" },
        { "/rate-limited", "rate_limited" },
        { "/gone", "not_found" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_resource_fails_with_its_own_code_and_the_next_page_still_converts(string path, string code)
    {
        MapHostile();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ConversionException>(() => ConvertAsync(_server.Url(path)));

        Assert.Equal(code, error.Code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{path} took {clock.Elapsed}.");
        var benign = await ConvertAsync(_server.Url("/benign"));
        Assert.Contains("Fine.", benign.Markdown, StringComparison.Ordinal);
        Assert.True(GC.GetTotalMemory(forceFullCollection: true) - before < 64 * 1024 * 1024, "managed heap grew by more than 64 MB");
    }

    [Fact]
    public async Task Retry_after_on_429_is_reported_as_a_transient_delay()
    {
        MapHostile();
        var error = await Assert.ThrowsAsync<ConversionException>(() => ConvertAsync(_server.Url("/rate-limited")));
        Assert.True(error.Transient);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
    }

    [Theory]
    [InlineData("invalid-charset", "text/html; charset=x-no-such-charset")]
    [InlineData("latin1", "text/html; charset=iso-8859-1")]
    [InlineData("malformed", "text/html")]
    [InlineData("deep", "text/html")]
    public async Task Odd_but_harmless_pages_convert(string name, string contentType)
    {
        var body = name switch
        {
            "invalid-charset" => Encoding.UTF8.GetBytes("<html><body><main><h1>Caf\u00e9</h1><p>Text.</p></main></body></html>"),
            "latin1" => Encoding.Latin1.GetBytes("<html><body><main><h1>Caf\u00e9 cr\u00e8me</h1><p>Text.</p></main></body></html>"),
            "malformed" => Encoding.UTF8.GetBytes("<html><body><main><h1>Broken<p>unclosed <b>bold <i>both</b> tags</i><table><tr><td>cell</main></div></span>"),
            _ => Encoding.UTF8.GetBytes("<html><body><h1>Deep</h1>" + string.Concat(Enumerable.Repeat("<div>", 10_000)) + "bottom" + string.Concat(Enumerable.Repeat("</div>", 10_000)) + "</body></html>"),
        };
        _server.Map("/" + name, contentType, body);
        var clock = Stopwatch.StartNew();

        var output = await ConvertAsync(_server.Url("/" + name));

        Assert.StartsWith("---\n", output.Markdown, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{name} took {clock.Elapsed}.");
        if (name != "malformed" && name != "deep")
        {
            Assert.Contains("Caf\u00e9", output.Markdown, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Robots_txt_disallow_is_honoured_by_default()
    {
        using var services = ConversionHarness.Services(_server.Origin, robots: true);
        _server.Map("/robots.txt", "text/plain", Encoding.UTF8.GetBytes("User-agent: *\nDisallow: /private/\n\nUser-agent: OtherBot\nDisallow: /\n"));
        _server.MapHtml("/private/page", Benign);
        _server.MapHtml("/public/page", Benign);
        var converter = services.GetRequiredService<SessionConverter>();

        var error = await Assert.ThrowsAsync<ConversionException>(() => Convert(converter, _server.Url("/private/page")));
        Assert.Equal("robots_disallowed", error.Code);
        Assert.Contains("Fine.", (await Convert(converter, _server.Url("/public/page"))).Markdown, StringComparison.Ordinal);
    }

    private void MapHostile()
    {
        _server.Map("/big", async context =>
        {
            // 50 MB announced and streamed, never held in memory here.
            context.Response.ContentType = "text/html";
            context.Response.ContentLength64 = 50L * 1024 * 1024;
            var chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
            for (var i = 0; i < 800; i++)
            {
                await context.Response.OutputStream.WriteAsync(chunk);
            }
            context.Response.Close();
        });
        _server.Map("/slow", async context =>
        {
            context.Response.ContentType = "text/html";
            context.Response.SendChunked = true;
            for (var i = 0; i < 30; i++)
            {
                await context.Response.OutputStream.WriteAsync("<"u8.ToArray());
                await context.Response.OutputStream.FlushAsync();
                await Task.Delay(1000);
            }
            context.Response.Close();
        });
        _server.Redirect("/loop", "/loop");
        _server.Redirect("/to-loopback", "http://127.0.0.1:1/");
        _server.Redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/");
        _server.Redirect("/to-ipv6-loopback", "http://[::1]:1/");
        _server.Redirect("/to-private", "http://10.0.0.1/");
        _server.Redirect("/to-localhost-name", "http://localhost:1/");
        _server.Redirect("/to-file", "file:///etc/passwd");
        _server.Map("/gzip-bomb", context =>
        {
            context.Response.ContentType = "text/html";
            context.Response.AddHeader("Content-Encoding", "gzip");
            var bomb = GzipBomb.Value;
            context.Response.ContentLength64 = bomb.Length;
            context.Response.OutputStream.Write(bomb);
            context.Response.Close();
            return Task.CompletedTask;
        });
        _server.Map("/pdf", "application/pdf", "%PDF-1.4\n"u8.ToArray());
        _server.Map("/rate-limited", context =>
        {
            context.Response.StatusCode = 429;
            context.Response.AddHeader("Retry-After", "120");
            context.Response.Close();
            return Task.CompletedTask;
        });
    }

    private static readonly Lazy<byte[]> GzipBomb = new(() =>
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(zeros);
            }
        }
        return output.ToArray();
    });

    private Task<ConversionOutput> ConvertAsync(Uri url) => Convert(_converter, url);

    private static Task<ConversionOutput> Convert(SessionConverter converter, Uri url) =>
        converter.ConvertAsync(new ConversionInput { Url = url, Parameters = new JobParameters { Url = url.AbsoluteUri } }, new RecordingSink(), TestContext.Current.CancellationToken);

    public void Dispose()
    {
        _services.Dispose();
        _server.Dispose();
    }
}
