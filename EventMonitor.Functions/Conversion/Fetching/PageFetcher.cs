using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using EventMonitor.Functions.Telemetry;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Conversion.Fetching;

/// <summary>A fetched HTML page, decoded.</summary>
internal sealed record FetchedPage(Uri Url, string Html, string? ContentType, DateTimeOffset FetchedAt);

/// <summary>
/// Fetches pages, subtitles and attachments through the SSRF guard (<see cref="GuardedHandler"/>), at
/// most five redirects, size and time limits per purpose, its own decompression with a bomb limit, robots.txt, Retry-After and the cache.
/// </summary>
internal sealed class PageFetcher : IDisposable
{
    private readonly HttpClient _client;
    private readonly FetchOptions _options;
    private readonly TimeProvider _time;
    private readonly IFetchCache _cache;
    private readonly RobotsPolicy _robots;
    private readonly AppMetrics _metrics;

    public PageFetcher(IOptions<FetchOptions> options, TimeProvider time, IFetchCache cache, AppMetrics metrics)
    {
        _options = options.Value;
        _time = time;
        _cache = cache;
        _metrics = metrics;
        _client = new HttpClient(GuardedHandler.Create(_options)) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(_options.UserAgent);
        _robots = new RobotsPolicy(this, _options, time);
    }

    public async Task<FetchedPage> FetchPageAsync(Uri url, bool useCache, CancellationToken cancellationToken)
    {
        var resource = await FetchAsync(url, FetchPurpose.Page, useCache, cancellationToken);
        var mediaType = resource.MediaType;
        if (mediaType is not null && !mediaType.Contains("html", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConversionException("unsupported_content", $"{resource.Url} is {mediaType}, not an HTML page.");
        }
        return new FetchedPage(resource.Url, TextDecoding.Decode(resource.Body, resource.Charset), mediaType, resource.FetchedAt);
    }

    public async Task<FetchedResource> FetchAsync(Uri url, FetchPurpose purpose, bool useCache, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            throw new ConversionException(GuardedHandler.BlockedCode, $"Only http and https URLs are fetched, not {url.Scheme}.");
        }
        var cached = await _cache.GetAsync(url, cancellationToken);
        if (useCache && cached is not null && _time.GetUtcNow() - cached.FetchedAt < _options.CacheMaxAge)
        {
            return cached;
        }
        if (_options.RespectRobotsTxt && !await _robots.AllowsAsync(url, cancellationToken))
        {
            throw new ConversionException("robots_disallowed", $"robots.txt of {url.Host} disallows {url.AbsolutePath} for {_options.UserAgentProduct}.");
        }
        var limit = purpose == FetchPurpose.Attachment ? _options.MaxAttachmentBytes : _options.MaxPageBytes;
        var timeout = purpose == FetchPurpose.Attachment ? _options.AttachmentTimeout : _options.Timeout;
        var fresh = await SendAsync(url, purpose, limit, timeout, useCache ? cached : null, cancellationToken);
        await _cache.SetAsync(url, fresh, cancellationToken);
        return fresh;
    }

    /// <summary>One network fetch, measured: how long it took, what for, how it ended and the class of the last answer's status.</summary>
    internal async Task<FetchedResource> SendAsync(Uri url, FetchPurpose purpose, long limit, TimeSpan timeout, FetchedResource? validators, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var status = new StrongBox<int?>();
        var tag = purpose.ToString().ToLowerInvariant();
        try
        {
            var resource = await FollowAsync(url, limit, timeout, validators, status, cancellationToken);
            _metrics.Fetched(tag, status.Value == 304 ? "not_modified" : "ok", status.Value, _time.GetElapsedTime(started));
            return resource;
        }
        catch (ConversionException ex)
        {
            _metrics.Fetched(tag, ex.Code, status.Value, _time.GetElapsedTime(started));
            throw;
        }
    }

    /// <summary>One GET with redirects followed by hand, so each hop is re-checked and counted.</summary>
    private async Task<FetchedResource> FollowAsync(Uri url, long limit, TimeSpan timeout, FetchedResource? validators, StrongBox<int?> lastStatus, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var current = url;
            for (var hop = 0; ; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml;q=0.9,*/*;q=0.5");
                request.Headers.AcceptEncoding.ParseAdd("gzip, br");
                if (validators is not null && hop == 0)
                {
                    if (validators.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag))
                    {
                        request.Headers.IfNoneMatch.Add(tag);
                    }
                    request.Headers.IfModifiedSince = validators.LastModified;
                }
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                var status = (int)response.StatusCode;
                lastStatus.Value = status;
                if (status == 304 && validators is not null)
                {
                    return validators with { FetchedAt = _time.GetUtcNow() };
                }
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (hop >= _options.MaxRedirects)
                    {
                        throw new ConversionException("redirect_loop", $"More than {_options.MaxRedirects} redirects from {url}.");
                    }
                    current = new Uri(current, location);
                    if (current.Scheme != Uri.UriSchemeHttp && current.Scheme != Uri.UriSchemeHttps)
                    {
                        throw new ConversionException(GuardedHandler.BlockedCode, $"A redirect leads to a {current.Scheme} URL.");
                    }
                    continue;
                }
                ThrowForStatus(response, current);
                var body = await Body.ReadAsync(response, limit, _options.MaxCompressionRatio, deadline.Token);
                return new FetchedResource
                {
                    Url = current,
                    Body = body,
                    MediaType = response.Content.Headers.ContentType?.MediaType,
                    Charset = response.Content.Headers.ContentType?.CharSet,
                    ETag = response.Headers.ETag?.ToString(),
                    LastModified = response.Content.Headers.LastModified,
                    FetchedAt = _time.GetUtcNow(),
                };
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConversionException("timeout", $"{url} did not answer completely within {timeout.TotalSeconds:0.#} s.", transient: true);
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

    private void ThrowForStatus(HttpResponseMessage response, Uri url)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return;
        }
        var retryAfter = RetryAfter.Of(response, _time.GetUtcNow());
        throw status switch
        {
            404 or 410 => new ConversionException("not_found", $"{url} answered {status}: the page does not exist."),
            429 => new ConversionException("rate_limited", $"{url} answered 429 Too Many Requests.", transient: true) { RetryAfter = retryAfter },
            503 => new ConversionException("unavailable", $"{url} answered 503 Service Unavailable.", transient: true) { RetryAfter = retryAfter },
            >= 500 => new ConversionException("http_error", $"{url} answered {status}.", transient: true),
            _ => new ConversionException("http_error", $"{url} answered {status}."),
        };
    }

    public void Dispose() => _client.Dispose();
}
