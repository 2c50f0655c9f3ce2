namespace EventMonitor.Functions.Conversion.Fetching;

/// <summary>What a fetch brought back: the final URL after redirects, the decoded body bytes and validators for the cache.</summary>
internal sealed record FetchedResource
{
    public required Uri Url { get; init; }
    public required byte[] Body { get; init; }
    public string? MediaType { get; init; }
    public string? Charset { get; init; }
    public string? ETag { get; init; }
    public DateTimeOffset? LastModified { get; init; }
    public required DateTimeOffset FetchedAt { get; init; }
}

/// <summary>What is being fetched decides its size and time limits; it also tags the fetch metric.</summary>
internal enum FetchPurpose { Page, Subtitles, Attachment, Robots }

/// <summary>A store of fetched resources keyed by URL (Blob in production); the default stores nothing.</summary>
internal interface IFetchCache
{
    Task<FetchedResource?> GetAsync(Uri url, CancellationToken cancellationToken);

    Task SetAsync(Uri url, FetchedResource resource, CancellationToken cancellationToken);
}

internal sealed class NoFetchCache : IFetchCache
{
    public Task<FetchedResource?> GetAsync(Uri url, CancellationToken cancellationToken) => Task.FromResult<FetchedResource?>(null);

    public Task SetAsync(Uri url, FetchedResource resource, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>An in-process cache for the CLI and tests; bounded by entry count.</summary>
internal sealed class MemoryFetchCache : IFetchCache
{
    private const int MaxEntries = 256;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FetchedResource> _entries = new(StringComparer.Ordinal);

    public Task<FetchedResource?> GetAsync(Uri url, CancellationToken cancellationToken) =>
        Task.FromResult(_entries.GetValueOrDefault(url.AbsoluteUri));

    public Task SetAsync(Uri url, FetchedResource resource, CancellationToken cancellationToken)
    {
        if (_entries.Count < MaxEntries || _entries.ContainsKey(url.AbsoluteUri))
        {
            _entries[url.AbsoluteUri] = resource;
        }
        return Task.CompletedTask;
    }
}
