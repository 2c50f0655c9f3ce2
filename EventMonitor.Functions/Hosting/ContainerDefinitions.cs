using System.Collections.ObjectModel;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Functions.Hosting;

/// <summary>
/// The Cosmos containers, with the partition keys and the composite indexes the queries in
/// <see cref="Queries"/> need in Azure (one table per query in docs/local-cosmos.md, "Indexes").
/// Everything else is range-indexed by the default policy. The local emulator ignores indexing policies.
/// </summary>
internal static class ContainerDefinitions
{
    /// <summary>The fields job and batch lists sort by (JobService.Sortable and BatchService.Sortable).</summary>
    public static readonly IReadOnlyList<string> ListSortFields = ["created_at", "updated_at", "status", "job_name", "batch_name"];

    /// <summary>Jobs and batches; a batch's jobs share the batch's partition so its recount is a single-partition query.</summary>
    public static ContainerProperties State()
    {
        var properties = new ContainerProperties(Storage.StateContainer, "/pk") { DefaultTimeToLive = -1 };
        var composites = properties.IndexingPolicy.CompositeIndexes;
        // Q2/Q4 JobPage, BatchPage: WHERE user_id = @u ... ORDER BY <field> ASC|DESC.
        foreach (var field in ListSortFields)
        {
            composites.Add(Composite(("user_id", false), (field, false)));
            composites.Add(Composite(("user_id", false), (field, true)));
        }
        // Q3b BatchJobsWithStatus: WHERE type = 'job' AND status = @s ORDER BY created_at ASC.
        composites.Add(Composite(("type", false), ("status", false), ("created_at", false)));
        // Q5 ExpiredLeases, Q5b StalePending: equality on type and status, range on the time last.
        composites.Add(Composite(("type", false), ("status", false), ("lease_until", false)));
        composites.Add(Composite(("type", false), ("status", false), ("enqueued_at", false)));
        // Q6 ArchivableBatches: WHERE type = 'batch' AND archived = false AND completed_at < @t.
        composites.Add(Composite(("type", false), ("archived", false), ("completed_at", false)));
        // Q7 PurgeableBatches: WHERE type = 'batch' AND archived = true AND archived_at < @t.
        composites.Add(Composite(("type", false), ("archived", false), ("archived_at", false)));
        return properties;
    }

    /// <summary>Event logs, one partition per job or batch, so reading a log is a single-partition query on the range index of <c>seq</c>.</summary>
    public static ContainerProperties Events() => new(Storage.EventsContainer, "/pk");

    private static Collection<CompositePath> Composite(params (string Field, bool Descending)[] paths) =>
        [.. paths.Select(p => new CompositePath { Path = "/" + p.Field, Order = p.Descending ? CompositePathSortOrder.Descending : CompositePathSortOrder.Ascending })];
}
