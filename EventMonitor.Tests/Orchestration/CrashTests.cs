using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Orchestration;

/// <summary>
/// A 200-job batch while the app is SIGKILLed three times, each time while the API shows a job
/// processing, and started again: nothing is lost, nothing is done twice where it shows.
/// </summary>
public sealed class CrashTests(LocalStack stack)
{
    private const int Jobs = 200;

    [Fact]
    public async Task A_batch_survives_three_kills_with_every_job_completed_once_and_exact_counts()
    {
        await using var pages = new PageServer();
        for (var i = 0; i < Jobs; i++)
        {
            var n = i;
            pages.Map($"/crash/{n}.html", async context =>
            {
                // Slow enough that kills land while jobs are processing.
                await Task.Delay(150);
                await PageServer.WriteAsync(context, 200, "text/html; charset=utf-8", $"<html lang=\"en\"><body><main><h1>Crash talk {n}</h1><p>Paragraph {n} of the crash test.</p><p>Second {n * 7}.</p></main></body></html>");
            });
        }
        var keys = new TestKeys();
        var database = "crash" + Guid.NewGuid().ToString("N")[..10];
        var env = AppFixture.Isolated(stack, database, keys, pages);
        env["Orchestration__JobLease"] = "00:00:03";
        env["Orchestration__PendingStaleAfter"] = "00:00:06";
        env["ReconcilerSchedule"] = "*/2 * * * * *";
        env["TriggerRunner__MessageLease"] = "00:00:04";
        env["TriggerRunner__MinPollingInterval"] = "00:00:00.100";
        var port = Ports.Free();
        var app = await AppProcess.StartAsync(env, port);
        try
        {
            using var client = app.Client(keys.Alice);
            var urls = Enumerable.Range(0, Jobs).Select(i => pages.Url($"/crash/{i}.html")).ToList();
            var (_, created) = await Api.SendAsync(client, HttpMethod.Post, "api/event-job/batches", new { batch_name = "Crash", jobs = urls.Select(u => new { url = u }).ToArray() });
            var batchId = created["data"]!["batch_id"]!.GetValue<string>();

            using var stopPolling = new CancellationTokenSource();
            var watched = new ConcurrentDictionary<string, ConcurrentBag<(long Id, string Type)>>();
            var pollFailures = new ConcurrentBag<string>();
            var poller = PollLogsAsync(port, keys.Alice, batchId, watched, pollFailures, stopPolling.Token);

            for (var kill = 0; kill < 3; kill++)
            {
                await WaitUntilAsync(async () =>
                {
                    var (status, body) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}?limit=1");
                    return status == System.Net.HttpStatusCode.OK && body["data"]!["processing_count"]!.GetValue<int>() > 0;
                }, TimeSpan.FromSeconds(120), $"no job processing before kill {kill + 1}");
                app.Process.Kill();
                await app.Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
                await app.DisposeAsync();
                app = await AppProcess.StartAsync(env, port);
            }

            JsonObject batch = null!;
            await WaitUntilAsync(async () =>
            {
                batch = (await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}?limit=1")).Body["data"]!.AsObject();
                return batch["status"]!.GetValue<string>() is "completed" or "completed_with_errors";
            }, TimeSpan.FromMinutes(5), "the batch did not finish");
            await stopPolling.CancelAsync();
            await poller;

            var jobs = await AllJobsAsync(client, batchId);
            Assert.Equal(Jobs, jobs.Count);
            Assert.All(jobs, j => Assert.Equal("completed", j["status"]!.GetValue<string>()));
            Assert.Equal("completed", batch["status"]!.GetValue<string>());
            Assert.Equal(Jobs, batch["completed_count"]!.GetValue<int>());
            Assert.Equal(Jobs, batch["job_count"]!.GetValue<int>());
            Assert.Equal(0, batch["pending_count"]!.GetValue<int>() + batch["processing_count"]!.GetValue<int>() + batch["failed_count"]!.GetValue<int>() + batch["cancelled_count"]!.GetValue<int>());
            Assert.Contains(jobs, j => j["attempts"]!.GetValue<int>() > 1);

            // Exactly one completed event per job in the stored log, and every poll saw a prefix of it.
            foreach (var job in jobs)
            {
                var jobId = job["job_id"]!.GetValue<string>();
                var log = await Api.EventsAsync(client, jobId);
                Assert.Single(log, e => e!["type"]!.GetValue<string>() == "completed");
                var ids = log.Select(e => e!["id"]!.GetValue<long>()).ToList();
                Assert.Equal(ids.Order().Distinct().ToList(), ids);
                if (watched.TryGetValue(jobId, out var seen))
                {
                    var final = log.Select(e => (e!["id"]!.GetValue<long>(), e["type"]!.GetValue<string>())).ToHashSet();
                    Assert.True(seen.ToHashSet().SetEquals(final), $"polls of {jobId} saw {string.Join(",", seen.OrderBy(s => s.Id))}, the log has {string.Join(",", final.OrderBy(s => s.Item1))}");
                }
            }
            Assert.True(watched.Count >= 5, "the log poller watched too few jobs");
            Assert.True(pollFailures.IsEmpty, string.Join("\n", pollFailures));

            // Every stored Markdown equals the convert command's output for its page, and nothing else is stored.
            var outDir = Directory.CreateTempSubdirectory("crash-convert-");
            var byUrl = jobs.ToDictionary(j => j["parameters"]!["url"]!.GetValue<string>(), j => j["results"]!["markdown_file"]!.GetValue<string>());
            await using (var cli = new ChildProcess("dotnet", [RepoPaths.AppDll, "convert", "--allow-origin", pages.Origin, "--out-dir", outDir.FullName, .. urls], null, RepoPaths.AppDirectory))
            {
                Assert.True(await cli.WaitForExitAsync(TimeSpan.FromMinutes(3)), "convert hung");
                Assert.True(cli.ExitCode == 0, cli.Output);
            }
            var container = new BlobContainerClient(stack.StorageConnectionString, "out-" + database);
            var stored = new List<string>();
            await foreach (var blob in container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = $"batches/{batchId}/" }))
            {
                stored.Add(blob.Name);
            }
            Assert.Equal(byUrl.Values.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
            for (var i = 0; i < Jobs; i++)
            {
                var blob = (await container.GetBlobClient(byUrl[urls[i]]).DownloadContentAsync()).Value.Content.ToArray();
                Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(outDir.FullName, $"{i}.md")), blob);
            }
            outDir.Delete(recursive: true);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>Polls a few jobs' logs with <c>after</c> all through the kills, as a live client would.</summary>
    private static async Task PollLogsAsync(int port, string key, string batchId, ConcurrentDictionary<string, ConcurrentBag<(long, string)>> watched, ConcurrentBag<string> failures, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var last = new Dictionary<string, long>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (last.Count < 8)
                {
                    var (_, page) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/jobs?batch_id={batchId}&limit=8&sort=created_at&order=asc", cancellationToken: stop);
                    foreach (var job in page["data"]?["jobs"]?.AsArray() ?? [])
                    {
                        last.TryAdd(job!["job_id"]!.GetValue<string>(), 0);
                    }
                }
                foreach (var jobId in last.Keys.ToList())
                {
                    var (status, body) = await Api.SendAsync(client, HttpMethod.Get, $"api/jobs/{jobId}/events?after={last[jobId]}", cancellationToken: stop);
                    if (status != System.Net.HttpStatusCode.OK)
                    {
                        continue;
                    }
                    foreach (var e in body["events"]!.AsArray())
                    {
                        var id = e!["id"]!.GetValue<long>();
                        if (id <= last[jobId])
                        {
                            failures.Add($"{jobId}: id {id} came after {last[jobId]} was seen");
                        }
                        last[jobId] = Math.Max(last[jobId], id);
                        watched.GetOrAdd(jobId, _ => []).Add((id, e["type"]!.GetValue<string>()));
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException)
            {
                // The app is down between a kill and its restart.
            }
            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static async Task<List<JsonObject>> AllJobsAsync(HttpClient client, string batchId)
    {
        var jobs = new List<JsonObject>();
        for (var skip = 0; ; skip += 100)
        {
            var (_, page) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/jobs?batch_id={batchId}&limit=100&skip={skip}&sort=created_at&order=asc");
            var items = page["data"]!["jobs"]!.AsArray().Select(j => j!.AsObject()).ToList();
            jobs.AddRange(items);
            if (items.Count < 100)
            {
                return jobs;
            }
        }
    }

    /// <summary>Polls often (kills must land while a job runs), counting an app that is restarting as "not yet".</summary>
    private static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        Wait.UntilAsync(async () =>
        {
            try
            {
                return await condition();
            }
            catch (HttpRequestException)
            {
                // Restarting.
                return false;
            }
        }, timeout, () => what, TimeSpan.FromMilliseconds(50));
}
