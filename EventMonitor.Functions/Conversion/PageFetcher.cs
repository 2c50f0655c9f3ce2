using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Conversion;

/// <summary>A fetched page: its final URL, decoded text and when it was fetched.</summary>
internal sealed record FetchedPage(Uri Url, string Html, string? ContentType, DateTimeOffset FetchedAt);

/// <summary>
/// Fetches session pages with the SSRF guard applied to every resolved address at connect time (so
/// redirects and DNS tricks are covered too), a redirect limit, size and time limits.
/// </summary>
internal sealed class PageFetcher : IDisposable
{
    private readonly HttpClient _client;
    private readonly FetchOptions _options;
    private readonly TimeProvider _time;

    public PageFetcher(IOptions<FetchOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        var allowed = _options.AllowedOrigins.Select(o => new Uri(o)).ToHashSet();
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            ConnectTimeout = _options.ConnectTimeout,
            UseProxy = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var origin = new Uri($"{context.InitialRequestMessage.RequestUri!.Scheme}://{context.DnsEndPoint.Host}:{context.DnsEndPoint.Port}");
                var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
                var permitted = allowed.Contains(origin) ? addresses : addresses.Where(AddressGuard.IsPublic).ToArray();
                if (permitted.Length == 0)
                {
                    throw new ConversionException("ssrf_blocked", $"{context.DnsEndPoint.Host} resolves to an address that may not be fetched.");
                }
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(permitted, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(_options.UserAgent);
    }

    public async Task<FetchedPage> FetchPageAsync(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            var current = url;
            for (var hop = 0; ; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml;q=0.9,*/*;q=0.5");
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (hop >= _options.MaxRedirects)
                    {
                        throw new ConversionException("redirect_loop", $"More than {_options.MaxRedirects} redirects from {url}.");
                    }
                    current = new Uri(current, location);
                    if (current.Scheme != Uri.UriSchemeHttp && current.Scheme != Uri.UriSchemeHttps)
                    {
                        throw new ConversionException("ssrf_blocked", $"A redirect leads to a {current.Scheme} URL.");
                    }
                    continue;
                }
                ThrowForStatus(response, current);
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (mediaType is not null && !mediaType.Contains("html", StringComparison.OrdinalIgnoreCase) && !mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ConversionException("unsupported_content", $"{current} is {mediaType}, not an HTML page.");
                }
                var bytes = await ReadLimitedAsync(response, _options.MaxPageBytes, timeout.Token);
                var charset = response.Content.Headers.ContentType?.CharSet;
                var encoding = TryEncoding(charset) ?? Encoding.UTF8;
                return new FetchedPage(current, encoding.GetString(bytes), mediaType, _time.GetUtcNow());
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConversionException("timeout", $"{url} did not answer within {_options.Timeout.TotalSeconds:0.#} s.", transient: true);
        }
        catch (HttpRequestException ex) when (ex.InnerException is ConversionException blocked)
        {
            throw blocked;
        }
        catch (HttpRequestException ex)
        {
            throw new ConversionException("fetch_failed", $"{url} could not be fetched: {ex.HttpRequestError}.", transient: true, ex);
        }
    }

    private static void ThrowForStatus(HttpResponseMessage response, Uri url)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return;
        }
        var retryAfter = response.Headers.RetryAfter?.Delta;
        throw status switch
        {
            404 or 410 => new ConversionException("not_found", $"{url} answered {status}: the page does not exist."),
            429 or 503 or 502 or 504 or 500 => new ConversionException("http_error", $"{url} answered {status}.", transient: true) { RetryAfter = retryAfter },
            _ => new ConversionException("http_error", $"{url} answered {status}."),
        };
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, long limit, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            throw new ConversionException("too_large", $"The page is larger than {limit} bytes.");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new ConversionException("too_large", $"The page is larger than {limit} bytes.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static Encoding? TryEncoding(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return null;
        }
        try
        {
            return Encoding.GetEncoding(charset.Trim('"'));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public void Dispose() => _client.Dispose();
}
