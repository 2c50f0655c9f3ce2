using System.Net;
using System.Text.Json.Nodes;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Orchestration;

/// <summary>
/// Two app processes work one batch, each with host.json's batchSize (8) invocations in flight at
/// once: every job runs exactly once and the counts stay exact.
/// </summary>
public sealed class ScaleOutTests(ScaleOutTests.ScaleOutFixture fixture) : IClassFixture<ScaleOutTests.ScaleOutFixture>
{
    private const int Jobs = 48;
    private const int PerProcess = 8;
    private const int Processes = 2;
    private static readonly string[] Statuses = ["pending", "processing", "completed", "failed", "cancelled"];

    public sealed class ScaleOutFixture(LocalStack stack) : AppFixture(stack)
    {
        // The per-site limit must not be what bounds concurrency here: one process's queue slots are.
        protected override void Configure(Dictionary<string, string?> environment)
        {
            environment["Orchestration__MaxConcurrentPerSite"] = "16";
            environment["Fetch__Timeout"] = "00:01:00";
        }
    }

    [Fact]
    public async Task Two_processes_with_eight_invocations_each_run_every_job_once_with_exact_counts()
    {
        var inFlight = 0;
        var peak = 0;
        long firstFetch = 0, peakAt = 0;
        var peakReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var urls = Enumerable.Range(1, Jobs).Select(i =>
        {
            var path = $"/scale/{i}.html";
            fixture.Pages.Map(path, async context =>
            {
                Interlocked.CompareExchange(ref firstFetch, System.Diagnostics.Stopwatch.GetTimestamp(), 0);
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref peak, now);
                if (now == PerProcess * Processes)
                {
                    peakAt = System.Diagnostics.Stopwatch.GetTimestamp();
                    peakReached.TrySetResult();
                }
                // Hold the first fetches until both processes have all their slots busy (or give up after a while).
                await Task.WhenAny(peakReached.Task, Task.Delay(TimeSpan.FromSeconds(25)));
                await Task.Delay(100);
                Interlocked.Decrement(ref inFlight);
                await PageServer.WriteAsync(context, 200, "text/html; charset=utf-8", $"<html lang=\"en\"><body><main><h1>Scale {i}</h1><p>Talk {i}.</p></main></body></html>");
            });
            return fixture.Pages.Url(path);
        }).ToList();
        await using var second = await AppProcess.StartAsync(fixture.Environment());
        using var one = fixture.App.Client(fixture.Keys.Alice);
        using var two = second.Client(fixture.Keys.Alice);

        var batchId = (await Api.CreateBatchAsync(one, new { jobs = urls.Select(url => new { url }) }))["batch_id"]!.GetValue<string>();
        JsonObject batch;
        var polls = 0;
        do
        {
            // Both processes answer for the same batch, and every answer's counts add up to the job count.
            var (status, body) = await Api.SendAsync(polls++ % 2 == 0 ? one : two, HttpMethod.Get, $"api/event-job/batches/{batchId}?limit=500");
            Assert.Equal(HttpStatusCode.OK, status);
            batch = body["data"]!.AsObject();
            var sum = Statuses.Sum(s => batch[$"{s}_count"]!.GetValue<int>());
            Assert.Equal(Jobs, sum);
            await Task.Delay(200);
        }
        while (batch["status"]!.GetValue<string>() != "completed" && polls < 900);

        TestContext.Current.TestOutputHelper?.WriteLine($"peak {peak} reached {System.Diagnostics.Stopwatch.GetElapsedTime(firstFetch, peakAt).TotalSeconds:0.0} s after the first fetch");
        Assert.Equal("completed", batch["status"]!.GetValue<string>());
        Assert.Equal(PerProcess * Processes, peak);
        Assert.Equal(Jobs, batch["completed_count"]!.GetValue<int>());
        var jobs = batch["jobs"]!.AsArray().Select(j => j!.AsObject()).ToList();
        Assert.Equal(Jobs, jobs.Count(j => j["status"]!.GetValue<string>() == "completed"));
        Assert.All(jobs, j => Assert.Equal(1, j["attempts"]!.GetValue<int>()));
        Assert.All(urls, url => Assert.Equal(1, fixture.Pages.Hits[new Uri(url).AbsolutePath]));
        foreach (var job in jobs)
        {
            var log = await Api.EventsAsync(one, job["job_id"]!.GetValue<string>());
            Assert.Single(log, e => e!["type"]!.GetValue<string>() == "completed");
            Assert.Single(log, e => e!["type"]!.GetValue<string>() == "started");
        }
        var (_, batchLog) = await Api.SendAsync(two, HttpMethod.Get, $"api/event-job/batches/{batchId}/events");
        Assert.Single(batchLog["events"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "completed");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }
            seen = previous;
        }
    }
}
