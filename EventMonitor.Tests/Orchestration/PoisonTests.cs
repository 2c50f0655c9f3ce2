using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Orchestration;

/// <summary>
/// A job whose worker always throws goes through the real retries and poison queue (test-sized
/// host.json: 3 deliveries, 0.5 s apart), ends failed, and shows up as a dead letter that an admin
/// re-drives once the fault is gone (a second app process without <c>Faults:ThrowForUrlPrefix</c>).
/// </summary>
public sealed class PoisonTests(LocalStack stack)
{
    private const int MaxDequeueCount = 3;

    private static ScriptRoot TestSizedQueues() => new(new JsonObject
    {
        ["maxDequeueCount"] = MaxDequeueCount,
        ["visibilityTimeout"] = "00:00:00.500",
        ["maxPollingInterval"] = "00:00:00.500",
    });

    private Dictionary<string, string?> Environment(PageServer pages, TestKeys keys, string database, ScriptRoot root)
    {
        var env = AppFixture.Isolated(stack, database, keys, pages);
        env["TriggerRunner__ScriptRoot"] = root.Path;
        env["TriggerRunner__MinPollingInterval"] = "00:00:00.100";
        return env;
    }

    [Fact]
    public async Task A_job_whose_worker_always_throws_ends_failed_as_a_dead_letter_and_is_re_driven_to_completion()
    {
        await using var pages = new PageServer();
        pages.Html("/poison/bad.html", "<html lang=\"en\"><body><main><h1>Bad luck</h1><p>Served fine; the worker throws.</p></main></body></html>");
        pages.Html("/poison/good.html", "<html lang=\"en\"><body><main><h1>Good</h1><p>Fine.</p></main></body></html>");
        using var root = TestSizedQueues();
        var keys = new TestKeys();
        var database = "poison" + Guid.NewGuid().ToString("N")[..10];
        var env = Environment(pages, keys, database, root);
        var faulty = new Dictionary<string, string?>(env) { ["Faults__ThrowForUrlPrefix"] = pages.Url("/poison/bad") };

        string jobId, batchId, deadLetterId;
        await using (var app = await AppProcess.StartAsync(faulty))
        {
            using var alice = app.Client(keys.Alice);
            using var admin = app.Client(keys.Admin);
            var batch = await Api.CreateBatchAsync(alice, new { batch_name = "Poison", jobs = new[] { new { url = pages.Url("/poison/bad.html") }, new { url = pages.Url("/poison/good.html") } } });
            batchId = batch["batch_id"]!.GetValue<string>();
            jobId = batch["jobs"]!.AsArray().Single(j => j!["parameters"]!["url"]!.GetValue<string>().EndsWith("bad.html", StringComparison.Ordinal))!["job_id"]!.GetValue<string>();
            var goodId = batch["jobs"]!.AsArray().Select(j => j!["job_id"]!.GetValue<string>()).Single(id => id != jobId);
            Assert.Equal("completed", (await Api.WaitTerminalAsync(alice, goodId))["status"]!.GetValue<string>());

            var job = await Api.WaitTerminalAsync(alice, jobId);
            Assert.Equal("failed", job["status"]!.GetValue<string>());
            Assert.Equal("internal_error", job["error"]!["code"]!.GetValue<string>());
            Assert.Equal(MaxDequeueCount, job["attempts"]!.GetValue<int>());
            Assert.Single(await Api.EventsAsync(alice, jobId), e => e!["type"]!.GetValue<string>() == "error" && e["level"]!.GetValue<string>() == "error");
            await AssertCountsAsync(alice, batchId, completed: 1, failed: 1);

            var letter = await WaitForDeadLetterAsync(admin, jobId);
            deadLetterId = letter["dead_letter_id"]!.GetValue<string>();
            Assert.Equal(MaxDequeueCount, letter["dequeue_count"]!.GetValue<int>());
            Assert.Equal(MaxDequeueCount, letter["attempts"]!.GetValue<int>());
            Assert.Equal(batchId, letter["batch_id"]!.GetValue<string>());
            Assert.Equal("alice", letter["user_id"]!.GetValue<string>());
            Assert.Equal("session", letter["kind"]!.GetValue<string>());
            Assert.Equal("internal_error", letter["error"]!["code"]!.GetValue<string>());
            Assert.Equal($"work-{database}-poison", letter["queue"]!.GetValue<string>());
            Assert.Contains(jobId, letter["message_text"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(alice, HttpMethod.Get, "api/admin/dead-letters")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(alice, HttpMethod.Post, $"api/admin/dead-letters/{deadLetterId}/redrive")).Status);
        }

        await using (var app = await AppProcess.StartAsync(env))
        {
            using var alice = app.Client(keys.Alice);
            using var admin = app.Client(keys.Admin);
            var (status, body) = await Api.SendAsync(admin, HttpMethod.Post, $"api/admin/dead-letters/{deadLetterId}/redrive");
            Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
            Assert.Equal(jobId, body["data"]!["job"]!["job_id"]!.GetValue<string>());

            var job = await Api.WaitTerminalAsync(alice, jobId);
            Assert.Equal("completed", job["status"]!.GetValue<string>());
            Assert.Null(job["error"]);
            Assert.Contains(await Api.EventsAsync(alice, jobId), e => e!["type"]!.GetValue<string>() == "restarted");
            await AssertCountsAsync(alice, batchId, completed: 2, failed: 0);
            Assert.DoesNotContain(await DeadLettersAsync(admin), l => l!["dead_letter_id"]!.GetValue<string>() == deadLetterId);
            Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(admin, HttpMethod.Post, $"api/admin/dead-letters/{deadLetterId}/redrive")).Status);
        }
    }

    [Fact]
    public async Task A_dead_letter_whose_job_is_gone_cannot_be_re_driven_and_is_discarded_once()
    {
        await using var pages = new PageServer();
        using var root = TestSizedQueues();
        var keys = new TestKeys();
        var database = "poison" + Guid.NewGuid().ToString("N")[..10];
        await using var app = await AppProcess.StartAsync(Environment(pages, keys, database, root));
        using var admin = app.Client(keys.Admin);
        var missing = "job-" + Guid.NewGuid().ToString("D");
        var poison = new QueueClient(stack.StorageConnectionString, $"work-{database}-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var text = new JsonObject { ["kind"] = "session", ["job_id"] = missing, ["pk"] = missing }.ToJsonString();
        var sent = await poison.SendMessageAsync(text);

        var letter = await WaitForDeadLetterAsync(admin, missing);
        var id = letter["dead_letter_id"]!.GetValue<string>();
        Assert.Equal(sent.Value.MessageId, id);
        Assert.Null(letter["user_id"]);
        // A second delivery of the same message, as the host would make after a failed invocation, records nothing new.
        using (var host = app.Client())
        {
            var envelope = new JsonObject { ["Data"] = new JsonObject { ["workItem"] = text }, ["Metadata"] = new JsonObject { ["Id"] = id, ["DequeueCount"] = 2 } };
            using var again = await host.PostAsJsonAsync("ConvertSessionPoison", envelope);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        Assert.Single(await DeadLettersAsync(admin), l => l!["job_id"]?.GetValue<string>() == missing);
        var (conflict, body) = await Api.SendAsync(admin, HttpMethod.Post, $"api/admin/dead-letters/{id}/redrive");
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.Equal("job_gone", body["error"]!["code"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.BadRequest, (await Api.SendAsync(admin, HttpMethod.Post, "api/admin/dead-letters/not-a-uuid/redrive")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.SendAsync(admin, HttpMethod.Delete, "api/admin/dead-letters/not-a-uuid")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.SendAsync(admin, HttpMethod.Get, "api/admin/dead-letters?job=1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(admin, HttpMethod.Delete, $"api/admin/dead-letters/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(admin, HttpMethod.Delete, $"api/admin/dead-letters/{id}")).Status);
        Assert.DoesNotContain(await DeadLettersAsync(admin), l => l!["dead_letter_id"]!.GetValue<string>() == id);
    }

    /// <summary>The list once nothing is being recorded any more, when its page and its total must agree.</summary>
    private static async Task<JsonArray> DeadLettersAsync(HttpClient admin)
    {
        var data = await DeadLetterPageAsync(admin);
        Assert.Equal(data["dead_letters"]!.AsArray().Count, data["total"]!.GetValue<long>());
        return data["dead_letters"]!.AsArray();
    }

    /// <summary>The page and its total are two queries: while a letter is being recorded they may disagree.</summary>
    private static async Task<JsonNode> DeadLetterPageAsync(HttpClient admin)
    {
        var (status, body) = await Api.SendAsync(admin, HttpMethod.Get, "api/admin/dead-letters?limit=500");
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        return body["data"]!;
    }

    private static async Task<JsonObject> WaitForDeadLetterAsync(HttpClient admin, string jobId)
    {
        for (var i = 0; i < 150; i++)
        {
            if ((await DeadLetterPageAsync(admin))["dead_letters"]!.AsArray().SingleOrDefault(l => l!["job_id"]?.GetValue<string>() == jobId) is JsonObject letter)
            {
                return letter;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"No dead letter for {jobId}.");
    }

    /// <summary>The batch's counters, and a recount of its jobs' statuses, are both what the test expects.</summary>
    private static async Task AssertCountsAsync(HttpClient client, string batchId, int completed, int failed)
    {
        var data = (await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}?limit=500")).Body["data"]!;
        var statuses = data["jobs"]!.AsArray().Select(j => j!["status"]!.GetValue<string>()).ToList();
        Assert.Equal((completed, failed), (data["completed_count"]!.GetValue<int>(), data["failed_count"]!.GetValue<int>()));
        Assert.Equal((completed, failed), (statuses.Count(s => s == "completed"), statuses.Count(s => s == "failed")));
        Assert.Equal(0, data["pending_count"]!.GetValue<int>() + data["processing_count"]!.GetValue<int>() + data["cancelled_count"]!.GetValue<int>());
    }
}
