using System.Globalization;
using System.Net.Http.Headers;
using EventMonitor.Functions.Conversion;
using EventMonitor.Functions.Conversion.Fetching;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Webhooks;

/// <summary>What one delivery attempt came to.</summary>
internal sealed record WebhookOutcome(WebhookOutcome.Result Kind, int? StatusCode, string Detail, TimeSpan? RetryAfter = null)
{
    public enum Result
    {
        Delivered,
        Failed,
        /// <summary>Refused by the SSRF guard: never sent, never retried.</summary>
        Blocked,
    }
}

/// <summary>POSTs one signed notification through the same SSRF-guarded handler as page fetches; never follows redirects.</summary>
internal sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _client;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;

    public WebhookSender(IOptions<FetchOptions> fetch, IOptions<WebhookOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _client = new HttpClient(GuardedHandler.Create(fetch.Value)) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(fetch.Value.UserAgent);
    }

    public async Task<WebhookOutcome> SendAsync(Uri url, byte[] body, string deliveryId, string eventName, string secret, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            return new WebhookOutcome(WebhookOutcome.Result.Blocked, null, $"only http and https URLs are called, not {url.Scheme}.");
        }
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.DeliveryHeader, deliveryId);
        request.Headers.Add(WebhookSignature.EventHeader, eventName);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return new WebhookOutcome(WebhookOutcome.Result.Delivered, status, $"HTTP {status}");
            }
            return new WebhookOutcome(WebhookOutcome.Result.Failed, status, $"HTTP {status}", RetryAfter.Of(response, _time.GetUtcNow()));
        }
        catch (HttpRequestException ex) when (ex.InnerException is ConversionException { Code: GuardedHandler.BlockedCode } blocked)
        {
            return new WebhookOutcome(WebhookOutcome.Result.Blocked, null, blocked.Message);
        }
        catch (HttpRequestException ex)
        {
            return new WebhookOutcome(WebhookOutcome.Result.Failed, null, $"connection failed ({ex.HttpRequestError})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookOutcome(WebhookOutcome.Result.Failed, null, $"no answer within {_options.Timeout.TotalSeconds:0.#} s");
        }
    }

    public void Dispose() => _client.Dispose();
}
