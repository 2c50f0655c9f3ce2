using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Endpoints;

/// <summary>
/// Counts stay true under concurrency: a seeded random sequence of actions against two app
/// processes that both work the same queue; every batch's counts equal a recount of its jobs every
/// 50 actions and at the end. Set EM_SEED to replay a failing sequence.
/// </summary>
public sealed class ConcurrencyTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const int Actions = 500;
    private const int CheckEvery = 50;
    private const int MaxBatches = 12;
    private static readonly string[] Counts = ["pending_count", "processing_count", "completed_count", "failed_count", "cancelled_count"];

    [Fact]
    public async Task Counts_equal_a_recount_throughout_500_random_actions_on_two_processes()
    {
        var seed = int.TryParse(System.Environment.GetEnvironmentVariable("EM_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        var run = new Run(seed, fixture);
        TestContext.Current.TestOutputHelper?.WriteLine($"EM_SEED={seed}");
        await using var second = await AppProcess.StartAsync(fixture.Environment());
        using var one = fixture.App.Client(fixture.Keys.Alice);
        using var two = second.Client(fixture.Keys.Alice);
        run.Clients = [one, two];

        for (var i = 0; i < 4; i++)
        {
            await run.CreateBatchAsync();
        }
        for (var action = 1; action <= Actions; action++)
        {
            await run.ActAsync(action);
            if (action % CheckEvery == 0)
            {
                await run.CheckCountsAsync($"after action {action}", TimeSpan.FromSeconds(10));
            }
        }

        await run.FinishAsync();
        await run.CheckCountsAsync("at the end", TimeSpan.FromSeconds(10));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(System.Environment.NewLine, run.Tally.Select(t => $"{t.Key}: {t.Value}")));
    }

    private sealed class Run(int seed, AppFixture fixture)
    {
        private readonly Random _random = new(seed);
        private readonly List<string> _batches = [];
        private int _pages;

        /// <summary>How often each action answered each status, printed so a run shows what it exercised.</summary>
        public SortedDictionary<string, int> Tally { get; } = new(StringComparer.Ordinal);

        public HttpClient[] Clients { get; set; } = [];

        private HttpClient Any => Clients[_random.Next(Clients.Length)];

        private string Seed => $"[EM_SEED={seed}]";

        public async Task CreateBatchAsync()
        {
            var jobs = Enumerable.Range(0, _random.Next(3, 7)).Select(_ => new { url = NewPage() }).ToArray();
            var body = await ExpectAsync("create batch", HttpMethod.Post, "api/event-job/batches", new { batch_name = $"Chaos {_batches.Count}", jobs, active = _random.Next(4) != 0 }, HttpStatusCode.Created);
            _batches.Add(body["data"]!["batch_id"]!.GetValue<string>());
        }

        /// <summary>A fresh page: most are slow successes so jobs are in flight; some are 404s so jobs fail.</summary>
        private string NewPage()
        {
            var n = Interlocked.Increment(ref _pages);
            var path = $"/chaos/{n}.html";
            if (_random.Next(5) != 0)
            {
                var delay = _random.Next(100, 301);
                fixture.Pages.Map(path, async context =>
                {
                    await Task.Delay(delay);
                    await PageServer.WriteAsync(context, 200, "text/html; charset=utf-8", $"<html lang=\"en\"><body><main><h1>Chaos talk {n}</h1><p>Paragraph {n}.</p></main></body></html>");
                });
            }
            return fixture.Pages.Url(path);
        }

        public async Task ActAsync(int action)
        {
            var batchId = _batches[_random.Next(_batches.Count)];
            var kind = _random.Next(100);
            var what = $"action {action} on {batchId}";
            if (kind < 6 && _batches.Count < MaxBatches)
            {
                await CreateBatchAsync();
            }
            else if (kind < 26)
            {
                if (await PickJobAsync(batchId) is { } jobId)
                {
                    await ExpectAsync($"{what}: restart {jobId}", HttpMethod.Post, $"api/event-job/jobs/{jobId}/restart", null, HttpStatusCode.OK, HttpStatusCode.Conflict);
                }
            }
            else if (kind < 44)
            {
                if (await PickJobAsync(batchId) is { } jobId)
                {
                    var path = _random.Next(2) == 0 ? $"api/event-job/jobs/{jobId}/cancel" : $"api/jobs/{jobId}/cancel";
                    await ExpectAsync($"{what}: cancel {jobId}", HttpMethod.Post, path, null, HttpStatusCode.OK);
                }
            }
            else if (kind < 56)
            {
                if (await PickJobAsync(batchId) is { } jobId)
                {
                    await ExpectAsync($"{what}: delete {jobId}", HttpMethod.Delete, $"api/event-job/jobs/{jobId}", null, HttpStatusCode.OK, HttpStatusCode.Conflict);
                }
            }
            else if (kind < 64)
            {
                await ExpectAsync($"{what}: fail-all", HttpMethod.Post, "api/event-job/batches/fail-all", new { batch_id = batchId, reason = "Chaos" }, HttpStatusCode.OK);
            }
            else if (kind < 78)
            {
                await ExpectAsync($"{what}: toggle-active", HttpMethod.Post, $"api/event-job/batches/{batchId}/toggle-active", null, HttpStatusCode.OK);
            }
            else if (kind < 86)
            {
                await ExpectAsync($"{what}: archive", HttpMethod.Post, $"api/event-job/batches/{batchId}/archive", null, HttpStatusCode.OK, HttpStatusCode.Conflict);
            }
            else
            {
                object body = _random.Next(2) == 0 ? new { all = true } : new { };
                await ExpectAsync($"{what}: batch-restart", HttpMethod.Post, $"api/event-job/batches/{batchId}/restart", body, HttpStatusCode.OK);
            }
        }

        private async Task<string?> PickJobAsync(string batchId)
        {
            var jobs = await JobsAsync(batchId);
            return jobs.Count == 0 ? null : jobs[_random.Next(jobs.Count)]!["job_id"]!.GetValue<string>();
        }

        private async Task<JsonArray> JobsAsync(string batchId)
        {
            var body = await ExpectAsync($"list jobs of {batchId}", HttpMethod.Get, $"api/event-job/jobs?batch_id={batchId}&limit=500&sort=created_at&order=asc", null, HttpStatusCode.OK);
            return body["data"]!["jobs"]!.AsArray();
        }

        private async Task<JsonObject> ExpectAsync(string what, HttpMethod method, string path, object? body, params HttpStatusCode[] expected)
        {
            var (status, json) = await Api.SendAsync(Any, method, path, body);
            Assert.True((int)status < 500, $"{Seed} {what}: {method} {path} answered {(int)status}: {json.ToJsonString()}");
            Assert.True(expected.Contains(status), $"{Seed} {what}: {method} {path} answered {(int)status}, expected {string.Join(" or ", expected.Select(e => (int)e))}: {json.ToJsonString()}");
            var key = $"{what[(what.LastIndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]} {(int)status}";
            Tally[key] = Tally.GetValueOrDefault(key) + 1;
            return json;
        }

        /// <summary>Resumes every paused batch and waits until no job is pending or processing.</summary>
        public async Task FinishAsync()
        {
            foreach (var batchId in _batches)
            {
                var batch = await BatchAsync(batchId);
                if (!batch["active"]!.GetValue<bool>())
                {
                    await ExpectAsync($"resume {batchId}", HttpMethod.Post, $"api/event-job/batches/{batchId}/toggle-active", null, HttpStatusCode.OK);
                }
            }
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            foreach (var batchId in _batches)
            {
                JsonArray jobs;
                while ((jobs = await JobsAsync(batchId)).Any(j => j!["status"]!.GetValue<string>() is "pending" or "processing"))
                {
                    Assert.True(DateTime.UtcNow < deadline, $"{Seed} jobs of {batchId} never finished: {jobs.ToJsonString()}");
                    await Task.Delay(250);
                }
            }
        }

        private async Task<JsonObject> BatchAsync(string batchId) =>
            (await ExpectAsync($"get {batchId}", HttpMethod.Get, $"api/event-job/batches/{batchId}?limit=1", null, HttpStatusCode.OK))["data"]!.AsObject();

        /// <summary>Counts are recounted asynchronously after each change, so a mismatch must vanish within the timeout.</summary>
        public async Task CheckCountsAsync(string when, TimeSpan timeout)
        {
            foreach (var batchId in _batches)
            {
                var deadline = DateTime.UtcNow + timeout;
                while (true)
                {
                    var before = Recount(await JobsAsync(batchId));
                    var batch = await BatchAsync(batchId);
                    var after = Recount(await JobsAsync(batchId));
                    var stored = Stored(batch);
                    var sum = Counts.Sum(c => batch[c]!.GetValue<int>());
                    if (before == after && stored == after && sum == batch["job_count"]!.GetValue<int>())
                    {
                        break;
                    }
                    Assert.True(DateTime.UtcNow < deadline, $"{Seed} {when}: the counts of {batchId} are {stored} (sum {sum}) but a recount of its jobs gives {after}: {batch.ToJsonString()}");
                    await Task.Delay(200);
                }
            }
        }

        private static string Stored(JsonObject batch) =>
            $"job_count={batch["job_count"]}, " + string.Join(", ", Counts.Select(c => $"{c}={batch[c]}"));

        private static string Recount(JsonArray jobs) =>
            $"job_count={jobs.Count}, " + string.Join(", ", Counts.Select(c => $"{c}={jobs.Count(j => j!["status"]!.GetValue<string>() + "_count" == c)}"));
    }
}
