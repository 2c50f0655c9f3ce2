using EventMonitor.Functions.Auth;
using System.Reflection;
using EventMonitor.Functions.Batches;
using EventMonitor.Functions.DeadLetters;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using static EventMonitor.Tests.Cosmos.QueryRuns;

namespace EventMonitor.Tests.Cosmos;

/// <summary>
/// Every query of the catalogue, run through the app's own query helpers against the local emulator
/// and compared with what the seeded documents say it must return, at page sizes 1, 7 and 50, cross-
/// partition and within one partition. The list queries are in <see cref="ListQueryTests"/>.
/// </summary>
public sealed class QueryCatalogueTests(CatalogueFixture fixture) : IClassFixture<CatalogueFixture>
{
    private CatalogueData Data => fixture.Data;
    private EmulatorDatabase Db => fixture.Database;

    [Fact]
    [Exercises(nameof(Queries.EventsAfter))]
    public async Task EventsAfter_reads_one_log_in_sequence_order()
    {
        foreach (var (owner, after) in new[] { (CatalogueData.LogA, 0L), (CatalogueData.LogA, 17L), (CatalogueData.LogA, 130L), (CatalogueData.LogB, 5L) })
        {
            var expected = Data.Events.Where(e => e.Pk == owner && e.Seq > after).OrderBy(e => e.Seq).ToList();
            var rows = await RunAsync<EventDocument>(Db.Events, Queries.EventsAfter(after), owner, e => e.Id, AllPageSizes);
            Assert.Equal(expected.Select(e => (e.Pk, e.Seq)), rows.Select(e => (e.Pk, e.Seq)));
        }

        // Cross-partition the logs interleave by sequence number; ties between the logs may come either way.
        var all = Data.Events.Where(e => e.Seq > 20).OrderBy(e => e.Seq).ToList();
        var merged = await RunAsync<EventDocument>(Db.Events, Queries.EventsAfter(20), null, Key, [7, 50]);
        AssertOrdered(merged, all, 0, all.Count, Key, e => e.Seq.ToString("D12"), "events after 20, every log");

        static string Key(EventDocument e) => e.Pk + "/" + e.Id;
    }

    [Fact]
    [Exercises(nameof(Queries.EventIds))]
    public async Task EventIds_lists_a_whole_log_counter_included()
    {
        var rows = await RunAsync<IdRow>(Db.Events, Queries.EventIds(), CatalogueData.LogB, r => r.Id, AllPageSizes);
        var expected = Data.Events.Where(e => e.Pk == CatalogueData.LogB).Select(e => e.Id).Append("sequence");
        AssertSameSet(rows.Select(r => r.Id), expected, id => id, "ids of log b");
    }

    [Fact]
    [Exercises(nameof(Queries.ApiKeys))]
    public async Task ApiKeys_lists_only_key_documents_of_the_keys_partition()
    {
        var now = DateTimeOffset.UtcNow;
        var hashes = Enumerable.Range(0, 9).Select(i => $"{Guid.NewGuid():N}{i}").ToList();
        foreach (var hash in hashes)
        {
            await Db.State.CreateItemAsync(new StoredKey { Id = hash, UserId = "u" + hash[..4], Role = "user", CreatedAt = now }, new Microsoft.Azure.Cosmos.PartitionKey(KeyStore.Partition));
        }
        var rows = await RunAsync<StoredKey>(Db.State, Queries.ApiKeys(), KeyStore.Partition, r => r.Id, AllPageSizes);
        AssertSameSet(rows.Select(r => r.Id), hashes, id => id, "minted keys");
    }

    [Fact]
    [Exercises(nameof(Queries.BatchJobStatuses))]
    public async Task BatchJobStatuses_recounts_a_batch_from_its_own_partition()
    {
        foreach (var batch in Data.Batches.Take(10))
        {
            var rows = await RunAsync<JobStatusRow>(Db.State, Queries.BatchJobStatuses(), batch.BatchId, r => r.JobId, [1, 7]);
            var expected = Data.Jobs.Where(j => j.BatchId == batch.BatchId).Select(j => $"{j.JobId}:{j.Status}");
            AssertSameSet(rows.Select(r => $"{r.JobId}:{r.Status}"), expected, s => s, $"job statuses of {batch.BatchId}");
        }
    }

    [Fact]
    [Exercises(nameof(Queries.BatchJobsWithStatus))]
    public async Task BatchJobsWithStatus_lists_a_batch_jobs_in_one_status_oldest_first()
    {
        var checkedRows = 0;
        foreach (var batch in Data.BatchesWithJobs)
        {
            foreach (var status in new[] { JobStatus.Completed, JobStatus.Pending })
            {
                var expected = Sorted(Data.Jobs.Where(j => j.BatchId == batch.BatchId && j.Status == status), j => CatalogueData.SortKey(j, "created_at"), false);
                var rows = await RunAsync<Job>(Db.State, Queries.BatchJobsWithStatus(status), batch.BatchId, j => j.Id, AllPageSizes);
                AssertOrdered(rows, expected, 0, expected.Count, j => j.Id, j => CatalogueData.SortKey(j, "created_at"), $"{status} jobs of {batch.BatchId}");
                checkedRows += rows.Count;
            }
        }
        Assert.True(checkedRows > 10, "the seed should give batches jobs in these statuses");
    }

    [Fact]
    [Exercises(nameof(Queries.ExpiredLeases))]
    public async Task ExpiredLeases_finds_processing_jobs_whose_lease_ran_out_in_every_partition()
    {
        var now = UtcTimestampConverter.Text(CatalogueData.Epoch.AddMinutes(40));
        var expected = Data.Jobs.Where(j => j.Status == JobStatus.Processing && j.LeaseUntil is { } l && string.CompareOrdinal(UtcTimestampConverter.Text(l), now) < 0).ToList();
        Assert.True(expected.Count > 3 && Data.Jobs.Any(j => j.LeaseUntil is not null && j.Status != JobStatus.Processing), "seed covers leases in and out of the result");
        var rows = await RunAsync<Job>(Db.State, Queries.ExpiredLeases(now), null, j => j.Id, AllPageSizes);
        AssertSameSet(rows, expected, j => j.Id, "expired leases");
    }

    [Fact]
    [Exercises(nameof(Queries.StalePending))]
    public async Task StalePending_finds_pending_jobs_enqueued_before_the_threshold()
    {
        var before = UtcTimestampConverter.Text(CatalogueData.Epoch.AddMinutes(30));
        var expected = Data.Jobs.Where(j => j.Status == JobStatus.Pending && j.EnqueuedAt is { } e && string.CompareOrdinal(UtcTimestampConverter.Text(e), before) < 0).ToList();
        Assert.True(expected.Count > 3, "seed has stale pending jobs");
        var rows = await RunAsync<Job>(Db.State, Queries.StalePending(before), null, j => j.Id, AllPageSizes);
        AssertSameSet(rows, expected, j => j.Id, "stale pending jobs");
    }

    [Fact]
    [Exercises(nameof(Queries.UnfinishedBatches))]
    public async Task UnfinishedBatches_lists_batches_with_pending_or_processing_jobs_or_an_unflushed_outbox()
    {
        var expected = Data.Batches.Where(b => b.PendingCount > 0 || b.ProcessingCount > 0 || b.Outbox is not null).Select(b => b.BatchId).ToList();
        Assert.True(expected.Count > 0 && expected.Count < Data.Batches.Count);
        Assert.Contains(Data.Batches, b => b.Outbox is not null && b.PendingCount + b.ProcessingCount == 0);
        var rows = await RunAsync<BatchIdRow>(Db.State, Queries.UnfinishedBatches(), null, r => r.BatchId, AllPageSizes);
        AssertSameSet(rows.Select(r => r.BatchId), expected, id => id, "unfinished batches");
    }

    [Fact]
    [Exercises(nameof(Queries.ArchivableBatches))]
    public async Task ArchivableBatches_lists_unarchived_batches_finished_before_a_time()
    {
        var before = UtcTimestampConverter.Text(CatalogueData.Epoch.AddMinutes(150));
        var expected = Data.Batches.Where(b => !b.Archived && b.CompletedAt is { } c && string.CompareOrdinal(UtcTimestampConverter.Text(c), before) < 0).ToList();
        Assert.True(expected.Count > 0 && Data.Batches.Any(b => b.Archived && b.CompletedAt is not null));
        var rows = await RunAsync<Batch>(Db.State, Queries.ArchivableBatches(before), null, b => b.Id, AllPageSizes);
        AssertSameSet(rows, expected, b => b.Id, "archivable batches");
    }

    [Fact]
    [Exercises(nameof(Queries.DeadLetterPage), nameof(Queries.DeadLetterCount))]
    public async Task DeadLetterPage_and_DeadLetterCount_list_only_the_dead_letters_partition_newest_first()
    {
        // Pairs share a time, so ties are covered; a job document in the same partition must not show up.
        var letters = Enumerable.Range(0, 11).Select(i => new DeadLetter
        {
            Id = Guid.NewGuid().ToString("D"),
            Queue = "q-poison",
            MessageText = "{}",
            DequeueCount = 5,
            CreatedAt = CatalogueData.Epoch.AddMinutes(i / 2),
        }).ToList();
        foreach (var letter in letters)
        {
            await Db.State.CreateItemAsync(letter, new Microsoft.Azure.Cosmos.PartitionKey(DeadLetter.Partition));
        }
        await Db.State.CreateItemAsync(new { id = "not-a-letter", pk = DeadLetter.Partition, type = "job", created_at = "2030-01-01T00:00:00.000Z" }, new Microsoft.Azure.Cosmos.PartitionKey(DeadLetter.Partition));

        Assert.Equal(letters.Count, await Db.State.CountAsync(Queries.DeadLetterCount(), DeadLetter.Partition, CancellationToken.None));
        foreach (var (descending, skip, limit) in new[] { (true, 0, 50), (true, 3, 4), (false, 0, 50), (false, 9, 5) })
        {
            var expected = Sorted(letters, l => UtcTimestampConverter.Text(l.CreatedAt), descending);
            var rows = await RunAsync<DeadLetter>(Db.State, Queries.DeadLetterPage(new ListQuery("created_at", descending, limit, skip)), DeadLetter.Partition, l => l.Id, AllPageSizes);
            AssertOrdered(rows, expected, skip, limit, l => l.Id, l => UtcTimestampConverter.Text(l.CreatedAt), $"dead letters desc={descending} skip={skip} limit={limit}");
        }
    }

    [Fact]
    [Exercises(nameof(Queries.PurgeableBatches))]
    public async Task PurgeableBatches_lists_archived_batches_archived_before_a_time_and_not_yet_purged()
    {
        var before = UtcTimestampConverter.Text(CatalogueData.Epoch.AddMinutes(345));
        var expected = Data.Batches.Where(b => b.Archived && b.PurgedAt is null && b.ArchivedAt is { } a && string.CompareOrdinal(UtcTimestampConverter.Text(a), before) < 0).ToList();
        Assert.True(expected.Count > 0, "the seed has purgeable batches");
        Assert.Contains(Data.Batches, b => b.Archived && b.PurgedAt is not null);
        Assert.Contains(Data.Batches, b => b.Archived && b.PurgedAt is null && b.ArchivedAt is { } a && string.CompareOrdinal(UtcTimestampConverter.Text(a), before) >= 0);
        var rows = await RunAsync<Batch>(Db.State, Queries.PurgeableBatches(before), null, b => b.Id, AllPageSizes);
        AssertSameSet(rows, expected, b => b.Id, "purgeable batches");
    }

    [Fact]
    public void Every_catalogue_query_is_exercised_by_a_test()
    {
        var catalogue = typeof(Queries).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).Select(m => m.Name).Distinct().Order(StringComparer.Ordinal);
        var exercised = typeof(QueryCatalogueTests).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
            .SelectMany(m => m.GetCustomAttribute<ExercisesAttribute>()?.Queries ?? [])
            .Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(catalogue, exercised);
    }

    private sealed record IdRow
    {
        public required string Id { get; init; }
    }
}
