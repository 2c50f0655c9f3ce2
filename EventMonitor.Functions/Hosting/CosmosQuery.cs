using Microsoft.Azure.Cosmos;

namespace EventMonitor.Functions.Hosting;

/// <summary>Runs a catalogue query to the end, following continuation tokens.</summary>
internal static class CosmosQuery
{
    public static async IAsyncEnumerable<T> StreamAsync<T>(this Container container, QueryDefinition query, string? partition,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, int pageSize = 100)
    {
        var options = new QueryRequestOptions { MaxItemCount = pageSize };
        if (partition is not null)
        {
            options.PartitionKey = new PartitionKey(partition);
        }
        using var iterator = container.GetItemQueryIterator<T>(query, requestOptions: options);
        while (iterator.HasMoreResults)
        {
            foreach (var item in await iterator.ReadNextAsync(cancellationToken))
            {
                yield return item;
            }
        }
    }

    public static async Task<List<T>> ListAsync<T>(this Container container, QueryDefinition query, string? partition, CancellationToken cancellationToken, int pageSize = 100)
    {
        var items = new List<T>();
        await foreach (var item in container.StreamAsync<T>(query, partition, cancellationToken, pageSize))
        {
            items.Add(item);
        }
        return items;
    }

    public static async Task<long> CountAsync(this Container container, QueryDefinition query, string? partition, CancellationToken cancellationToken)
    {
        long total = 0;
        await foreach (var n in container.StreamAsync<long>(query, partition, cancellationToken))
        {
            total += n;
        }
        return total;
    }
}
