using EventMonitor.Functions.Batches;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using static EventMonitor.Tests.Cosmos.QueryRuns;

namespace EventMonitor.Tests.Cosmos;

/// <summary>
/// The job and batch lists: every filter, every sort field both ways, OFFSET/LIMIT windows and counts,
/// against the seeded documents, cross-partition and (with a batch filter) inside the batch's partition.
/// </summary>
public sealed class ListQueryTests(CatalogueFixture fixture) : IClassFixture<CatalogueFixture>
{
    private static readonly (int Skip, int Limit)[] Windows = [(0, ListQuery.MaxLimit), (0, 10), (13, 7), (40, 50)];

    private CatalogueData Data => fixture.Data;
    private EmulatorDatabase Db => fixture.Database;

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
}
