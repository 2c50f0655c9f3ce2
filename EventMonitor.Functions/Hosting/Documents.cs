using System.Net;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Functions.Hosting;

/// <summary>Point operations shared by every store: missing is null, a lost ETag race is null, deleting twice is fine.</summary>
internal static class Documents
{
    public static async Task<T?> ReadOrNullAsync<T>(this Container container, string id, string partition, CancellationToken cancellationToken)
    {
        try
        {
            return (await container.ReadItemAsync<T>(id, new PartitionKey(partition), cancellationToken: cancellationToken)).Resource;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }
    }

    /// <summary>Replaces the document only if its ETag still matches; null when somebody changed or removed it.</summary>
    public static async Task<T?> TryReplaceAsync<T>(this Container container, T document, string id, string partition, string? etag, CancellationToken cancellationToken)
    {
        try
        {
            var options = new ItemRequestOptions { IfMatchEtag = etag };
            return (await container.ReplaceItemAsync(document, id, new PartitionKey(partition), options, cancellationToken)).Resource;
        }
        catch (CosmosException ex) when (ex.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return default;
        }
    }

    public static async Task DeleteIfExistsAsync(this Container container, string id, string partition, CancellationToken cancellationToken)
    {
        try
        {
            await container.DeleteItemAsync<object>(id, new PartitionKey(partition), cancellationToken: cancellationToken);
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: deleting is idempotent.
        }
    }
}
