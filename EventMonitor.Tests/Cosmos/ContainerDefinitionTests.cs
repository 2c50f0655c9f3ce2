using EventMonitor.Functions.Batches;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Tests.Cosmos;

/// <summary>The emulator ignores indexes, so this is what keeps a new sort field from shipping without its Azure index.</summary>
public sealed class ContainerDefinitionTests
{
    [Fact]
    public void Every_list_sort_field_has_user_id_composite_indexes_both_ways()
    {
        var composites = ContainerDefinitions.State().IndexingPolicy.CompositeIndexes
            .Select(c => string.Join(",", c.Select(p => $"{p.Path} {p.Order}")))
            .ToHashSet();
        foreach (var field in JobService.Sortable.Union(BatchService.Sortable))
        {
            foreach (var order in new[] { CompositePathSortOrder.Ascending, CompositePathSortOrder.Descending })
            {
                var wanted = $"/user_id {CompositePathSortOrder.Ascending},/{field} {order}";
                Assert.True(composites.Contains(wanted), $"ContainerDefinitions.State() lacks the composite index ({wanted})");
            }
        }
    }
}
