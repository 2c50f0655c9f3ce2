using System.Collections.Concurrent;
using EventMonitor.Functions.Hosting;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Auth;

/// <summary>
/// API keys minted with the <c>keys</c> command, stored by hash in the <c>state</c> container (one
/// partition). Lookups are cached for <c>Auth:KeyCacheDuration</c> (30 s), so a revocation takes effect within it.
/// </summary>
internal sealed class KeyStore(StateStore store, IOptions<AuthOptions> options, TimeProvider time)
{
    public const string Partition = "apikeys";
    private readonly ConcurrentDictionary<string, (StoredKey? Key, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<Caller?> FindAsync(string hash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(hash, out var cached) || cached.Until < now)
        {
            cached = (await store.State.ReadOrNullAsync<StoredKey>(hash, Partition, cancellationToken), now + options.Value.KeyCacheDuration);
            _cache[hash] = cached;
        }
        return cached.Key is { Revoked: false } key ? new Caller(key.UserId, key.Role) : null;
    }

    public Task CreateAsync(StoredKey key, CancellationToken cancellationToken) =>
        store.State.CreateItemAsync(key, new PartitionKey(Partition), cancellationToken: cancellationToken);

    public Task<List<StoredKey>> ListAsync(CancellationToken cancellationToken) =>
        store.State.ListAsync<StoredKey>(Queries.ApiKeys(), Partition, cancellationToken);

    public Task<StoredKey?> ReplaceAsync(StoredKey key, CancellationToken cancellationToken) =>
        store.State.TryReplaceAsync(key, key.Id, Partition, null, cancellationToken);
}

/// <summary>A minted key: only its SHA-256 hash (the document id), never the key.</summary>
internal sealed record StoredKey
{
    public required string Id { get; init; }
    public string Pk { get; init; } = KeyStore.Partition;
    public string Type { get; init; } = "apikey";
    public required string UserId { get; init; }
    public required string Role { get; init; }
    public string? Label { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public bool Revoked { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
}
