namespace EventMonitor.Functions.Conversion.Fetching;

/// <summary>A response's <c>Retry-After</c> (seconds or a date) as a delay from now; never negative, null when absent.</summary>
internal static class RetryAfter
{
    public static TimeSpan? Of(HttpResponseMessage response, DateTimeOffset now) =>
        response.Headers.RetryAfter is { } header && (header.Delta ?? header.Date - now) is { } delay
            ? (delay < TimeSpan.Zero ? TimeSpan.Zero : delay)
            : null;
}
