using System.Text.Json.Nodes;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using EventMonitor.Tests.Infrastructure;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Tests.Cosmos;

/// <summary>What the app relies on beyond query results: a partition key scopes everything, and TTL expires items.</summary>
public sealed class PartitionAndTtlTests(LocalStack stack)
{
    private const string A = "part-a";
    private const string B = "part-b";

    [Fact]
    public async Task A_partition_scoped_query_read_feed_count_or_point_read_never_sees_another_partition()
    {
        await using var db = await EmulatorDatabase.CreateAsync(stack);
        // The same ids in both partitions: only the partition key tells them apart.
        foreach (var (partition, count) in new[] { (A, 12), (B, 30) })
        {
            for (var i = 0; i < count; i++)
            {
                var id = i == 0 ? "shared" : $"{partition}-{i:D2}";
                await db.State.CreateItemAsync(NewJob(id, partition), new PartitionKey(partition));
                await db.Events.CreateItemAsync(NewEvent(i + 1, partition), new PartitionKey(partition));
            }
        }

        var everything = new ListQuery("created_at", true, ListQuery.MaxLimit, 0);
        foreach (var size in QueryRuns.AllPageSizes)
        {
            var jobs = await db.State.StreamAsync<Job>(Queries.JobPage(new JobFilter(null), everything), A, CancellationToken.None, size).ToListAsync();
            Assert.Equal(12, jobs.Count);
            Assert.All(jobs, j => Assert.Equal(A, j.Pk));

            var events = await db.Events.StreamAsync<EventDocument>(Queries.EventsAfter(0), A, CancellationToken.None, size).ToListAsync();
            Assert.Equal(Enumerable.Range(1, 12).Select(i => (A, (long)i)), events.Select(e => (e.Pk, e.Seq)));

            // Read-feed: no query text at all, only the partition key.
            var feed = await ReadFeedAsync<Job>(db.State, A, size);
            Assert.Equal(12, feed.Count);
            Assert.All(feed, j => Assert.Equal(A, j.Pk));
        }
        Assert.Equal(12, await db.State.CountAsync(Queries.JobCount(new JobFilter(null)), A, CancellationToken.None));
        Assert.Equal(42, await db.State.CountAsync(Queries.JobCount(new JobFilter(null)), null, CancellationToken.None));

        Assert.Equal(A, (await db.State.ReadOrNullAsync<Job>("shared", A, CancellationToken.None))!.JobName);
        Assert.Null(await db.State.ReadOrNullAsync<Job>($"{B}-05", A, CancellationToken.None));
        await db.State.DeleteIfExistsAsync($"{B}-05", A, CancellationToken.None);
        await db.State.DeleteIfExistsAsync("shared", A, CancellationToken.None);
        Assert.Null(await db.State.ReadOrNullAsync<Job>("shared", A, CancellationToken.None));
        Assert.Equal(B, (await db.State.ReadOrNullAsync<Job>("shared", B, CancellationToken.None))!.JobName);
        Assert.NotNull(await db.State.ReadOrNullAsync<Job>($"{B}-05", B, CancellationToken.None));
    }

    [Fact]
    public async Task Items_expire_by_their_ttl_or_the_container_default_and_vanish_from_reads_and_queries()
    {
        await using var db = await EmulatorDatabase.CreateAsync(stack);
        var withDefault = (await db.Database.CreateContainerAsync(new ContainerProperties("ttl-default", "/pk") { DefaultTimeToLive = 2 })).Container;
        var key = new PartitionKey(A);

        // State has TTL on without a default (-1): only items that carry a ttl expire.
        await db.State.CreateItemAsync(Item("short", 2), key);
        await db.State.CreateItemAsync(Item("kept"), key);
        await withDefault.CreateItemAsync(Item("by-default"), key);
        await withDefault.CreateItemAsync(Item("never", -1), key);
        // Events has no TTL setting at all: an item's ttl is ignored, as in Azure.
        await db.Events.CreateItemAsync(Item("ttl-off", 2), key);

        Assert.NotNull(await db.State.ReadOrNullAsync<JsonObject>("short", A, CancellationToken.None));
        Assert.NotNull(await withDefault.ReadOrNullAsync<JsonObject>("by-default", A, CancellationToken.None));

        // _ts has whole seconds: a ttl of 2 ends 1 to 2 s after the write.
        var deadline = DateTime.UtcNow.AddSeconds(6);
        while (await db.State.ReadOrNullAsync<JsonObject>("short", A, CancellationToken.None) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the item with ttl 2 did not expire");
            await Task.Delay(200);
        }
        while (await withDefault.ReadOrNullAsync<JsonObject>("by-default", A, CancellationToken.None) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the item under the container's default ttl did not expire");
            await Task.Delay(200);
        }

        var everything = new QueryDefinition("SELECT c.id FROM c");
        Assert.Equal(["kept"], await IdsAsync(db.State, everything, null));
        Assert.Equal(["kept"], await IdsAsync(db.State, everything, A));
        Assert.Equal(["kept"], (await ReadFeedAsync<JsonObject>(db.State, A, 7)).Select(i => i["id"]!.GetValue<string>()));
        Assert.Equal(["never"], await IdsAsync(withDefault, everything, null));
        Assert.Equal(["ttl-off"], await IdsAsync(db.Events, Queries.EventIds(), A));
        // An expired id is free again.
        await db.State.CreateItemAsync(Item("short"), key);
    }

    private static Job NewJob(string id, string partition) => new()
    {
        Id = id,
        Pk = partition,
        JobId = id,
        JobName = partition,
        Status = JobStatus.Pending,
        BatchId = partition,
        UserId = "alice",
        Parameters = new JobParameters { Event = "fosdem-2025" },
        CreatedAt = CatalogueData.Epoch,
        UpdatedAt = CatalogueData.Epoch,
    };

    private static EventDocument NewEvent(long seq, string owner) => new()
    {
        Id = seq.ToString("D12"),
        Pk = owner,
        Seq = seq,
        Type = "progress",
        Level = EventLevel.Info,
        Message = owner,
        Timestamp = seq,
    };

    private static JsonObject Item(string id, int? ttl = null)
    {
        var item = new JsonObject { ["id"] = id, ["pk"] = A };
        if (ttl is not null)
        {
            item["ttl"] = ttl;
        }
        return item;
    }

    private static async Task<List<string>> IdsAsync(Container container, QueryDefinition query, string? partition) =>
        (await container.ListAsync<JsonObject>(query, partition, CancellationToken.None)).Select(i => i["id"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();

    private static async Task<List<T>> ReadFeedAsync<T>(Container container, string partition, int pageSize)
    {
        var items = new List<T>();
        using var iterator = container.GetItemQueryIterator<T>((QueryDefinition?)null, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(partition), MaxItemCount = pageSize });
        while (iterator.HasMoreResults)
        {
            items.AddRange(await iterator.ReadNextAsync());
        }
        return items;
    }
}
