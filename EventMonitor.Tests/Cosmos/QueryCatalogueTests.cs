using System.Reflection;
using EventMonitor.Functions.Batches;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using static EventMonitor.Tests.Cosmos.QueryRuns;

namespace EventMonitor.Tests.Cosmos;

/// <summary>
/// Every query of the catalogue, run through the app's own query helpers against the local emulator
/// and compared with what the seeded documents say it must return: filters, order, OFFSET/LIMIT
/// windows, counts, page sizes 1, 7 and 50, cross-partition and within one partition.
/// </summary>
public sealed class QueryCatalogueTests(CatalogueFixture fixture) : IClassFixture<CatalogueFixture>
{
    private static readonly (int Skip, int Limit)[] Windows = [(0, ListQuery.MaxLimit), (0, 10), (13, 7), (40, 50)];

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
    [Exercises(nameof(Queries.JobPage), nameof(Queries.JobCount))]
    public async Task JobPage_and_JobCount_filter_sort_and_window_every_job_list()
    {
        var biggestBatch = Data.Jobs.Where(j => j.BatchId is not null).GroupBy(j => j.BatchId!).MaxBy(g => g.Count())!.Key;
        JobFilter[] filters =
        [
            new(null),
            new("alice"),
            new("bob", Status: JobStatus.Completed),
            new(null, BatchId: biggestBatch),
            new("carol", Event: "fosdem-2025"),
            new(null, JobType: "event"),
            new(null, Text: "KEY"),
            new(null, Text: "fosdem"),
            new("alice", Status: JobStatus.Pending, Text: "dev"),
        ];
        foreach (var filter in filters)
        {
            var matching = Data.Jobs.Where(j => CatalogueData.Matches(j, filter)).ToList();
            Assert.True(matching.Count > 0, $"{filter} matches no seeded job; the test would prove nothing");
            Assert.True(matching.Count < Data.Jobs.Count || filter == new JobFilter(null), $"{filter} matches every job");
            // Like JobStore: a batch filter runs inside the batch's partition; it must also be right across partitions.
            string?[] partitions = filter.BatchId is null ? [null] : [filter.BatchId, null];
            foreach (var partition in partitions)
            {
                Assert.Equal(matching.Count, await Db.State.CountAsync(Queries.JobCount(filter), partition, CancellationToken.None));
                var everySort = filter.Text is null && filter.Status is null && filter.BatchId is null && filter.Event is null && filter.JobType is null;
                foreach (var sort in JobService.Sortable)
                {
                    foreach (var descending in new[] { true, false })
                    {
                        if (!everySort && (sort, descending) != ("created_at", true))
                        {
                            continue;
                        }
                        await CheckJobPageAsync(filter, partition, matching, sort, descending);
                    }
                }
            }
        }
    }

    [Fact]
    [Exercises(nameof(Queries.BatchPage), nameof(Queries.BatchCount))]
    public async Task BatchPage_and_BatchCount_filter_sort_and_window_every_batch_list()
    {
        BatchFilter[] filters =
        [
            new(null),
            new("alice"),
            new("bob", Status: BatchStatus.Running),
            new(null, Archived: true),
            new("alice", Archived: false),
            new(null, Active: false),
            new(null, Event: "FOSDEM-2024"),
            new(null, Text: "fosdem"),
            new("carol", Text: "KEY"),
        ];
        foreach (var filter in filters)
        {
            var matching = Data.Batches.Where(b => CatalogueData.Matches(b, filter)).ToList();
            Assert.True(matching.Count > 0, $"{filter} matches no seeded batch; the test would prove nothing");
            Assert.Equal(matching.Count, await Db.State.CountAsync(Queries.BatchCount(filter), null, CancellationToken.None));
            foreach (var sort in BatchService.Sortable)
            {
                foreach (var descending in new[] { true, false })
                {
                    var list = new ListQuery(sort, descending, ListQuery.MaxLimit, 0);
                    var sorted = Sorted(matching, b => CatalogueData.SortKey(b, sort), descending);
                    foreach (var (skip, limit) in new[] { (0, ListQuery.MaxLimit), (3, 4) })
                    {
                        var rows = await RunAsync<Batch>(Db.State, Queries.BatchPage(filter, list with { Skip = skip, Limit = limit }), null, b => b.Id, AllPageSizes);
                        AssertOrdered(rows, sorted, skip, limit, b => b.Id, b => CatalogueData.SortKey(b, sort), $"{filter} by {sort} {(descending ? "desc" : "asc")} skip {skip} limit {limit}");
                    }
                }
            }
        }
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
    public async Task UnfinishedBatches_lists_batches_with_pending_or_processing_jobs()
    {
        var expected = Data.Batches.Where(b => b.PendingCount > 0 || b.ProcessingCount > 0).Select(b => b.BatchId).ToList();
        Assert.True(expected.Count > 0 && expected.Count < Data.Batches.Count);
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
    public void Every_catalogue_query_is_exercised_by_a_test()
    {
        var catalogue = typeof(Queries).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).Select(m => m.Name).Distinct().Order(StringComparer.Ordinal);
        var exercised = typeof(QueryCatalogueTests).GetMethods()
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
            .SelectMany(m => m.GetCustomAttribute<ExercisesAttribute>()?.Queries ?? [])
            .Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(catalogue, exercised);
    }

    private async Task CheckJobPageAsync(JobFilter filter, string? partition, List<Job> matching, string sort, bool descending)
    {
        var sorted = Sorted(matching, j => CatalogueData.SortKey(j, sort), descending);
        foreach (var (skip, limit) in Windows)
        {
            // Page size 1 costs a round trip per row: used on small windows and on the whole list in two orders.
            var wholeList = filter == new JobFilter(null) && (sort, descending) is ("created_at", true) or ("status", false);
            int[] sizes = wholeList || limit <= 10 ? AllPageSizes : [7, 50];
            var list = new ListQuery(sort, descending, limit, skip);
            var rows = await RunAsync<Job>(Db.State, Queries.JobPage(filter, list), partition, j => j.Id, sizes);
            AssertOrdered(rows, sorted, skip, limit, j => j.Id, j => CatalogueData.SortKey(j, sort), $"{filter} in {partition ?? "all partitions"} by {sort} {(descending ? "desc" : "asc")} skip {skip} limit {limit}");
        }
    }

    private static List<T> Sorted<T>(IEnumerable<T> items, Func<T, string> key, bool descending) =>
        descending ? items.OrderByDescending(key, StringComparer.Ordinal).ToList() : items.OrderBy(key, StringComparer.Ordinal).ToList();

    private sealed record IdRow
    {
        public required string Id { get; init; }
    }
}
