using Microsoft.Azure.Cosmos;

namespace EventMonitor.Functions.Hosting;

/// <summary>
/// The Cosmos containers, with the partition keys and indexes the app's queries need in Azure
/// (see docs/architecture.md). The local emulator ignores indexing policies.
/// </summary>
internal static class ContainerDefinitions
{
    /// <summary>Jobs and batches; a batch's jobs share the batch's partition so its recount is a single-partition query.</summary>
    public static ContainerProperties State()
    {
        var properties = new ContainerProperties(Storage.StateContainer, "/pk") { DefaultTimeToLive = -1 };
        properties.IndexingPolicy.CompositeIndexes.Add(
        [
            new CompositePath { Path = "/user_id" },
            new CompositePath { Path = "/created_at", Order = CompositePathSortOrder.Descending },
        ]);
        return properties;
    }

    /// <summary>Event logs, one partition per job or batch, so reading a log is a single-partition query.</summary>
    public static ContainerProperties Events() => new(Storage.EventsContainer, "/pk");
}
