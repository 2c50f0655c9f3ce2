using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Orchestration;

/// <summary>
/// Webhooks, received by the test's own server on 127.0.0.1 (on the fetch allow-list): signed, with the
/// documented payload, retried under one delivery id, and never sent where the SSRF guard says no.
/// </summary>
public sealed class WebhookTests(WebhookTests.WebhookFixture fixture) : IClassFixture<WebhookTests.WebhookFixture>
{
    private const string Secret = "test-webhook-secret-0123456789abcdef";

    public sealed class WebhookFixture(LocalStack stack) : AppFixture(stack)
    {
        protected override void Configure(Dictionary<string, string?> environment)
        {
            environment["Webhooks__Secret"] = Secret;
            environment["Webhooks__RetryBaseDelay"] = "00:00:00.200";
            environment["Webhooks__MaxAttempts"] = "4";
            environment["Logging__LogLevel__EventMonitor.Functions"] = "Information";
        }
    }

    private sealed record Delivery(Dictionary<string, string> Headers, string Body)
    {
        public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    }

    /// <summary>Maps a receiver at <paramref name="path"/>; <paramref name="status"/> picks each answer from the number of the request (1, 2, …).</summary>
    private ConcurrentQueue<Delivery> Receive(string path, Func<int, int>? status = null)
    {
        var received = new ConcurrentQueue<Delivery>();
        fixture.Pages.Map(path, async context =>
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            received.Enqueue(new Delivery(headers, body));
            await PageServer.WriteAsync(context, status?.Invoke(received.Count) ?? 200, "text/plain", "ok");
        });
        return received;
    }

    private static void AssertSigned(Delivery delivery)
    {
        var timestamp = delivery.Headers["X-EventMonitor-Timestamp"];
        var signed = Encoding.UTF8.GetBytes(timestamp + "." + delivery.Body);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed));
        Assert.Equal(expected, delivery.Headers["X-EventMonitor-Signature"]);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), 0, 300);
        Assert.StartsWith("application/json", delivery.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(delivery.Json["delivery_id"]!.GetValue<string>(), delivery.Headers["X-EventMonitor-Delivery"]);
    }

    private static async Task<List<Delivery>> WaitForAsync(ConcurrentQueue<Delivery> received, int count)
    {
        for (var i = 0; i < 300 && received.Count < count; i++)
        {
            await Task.Delay(100);
        }
        Assert.True(received.Count >= count, $"expected {count} deliveries, got {received.Count}");
        return [.. received];
    }

    /// <summary>The <c>webhook</c> events of a job or batch log, once one with <paramref name="outcome"/> is there.</summary>
    private static async Task<List<JsonNode>> WebhookEventsAsync(HttpClient client, string eventsPath, string outcome)
    {
        for (var i = 0; i < 300; i++)
        {
            var (status, body) = await Api.SendAsync(client, HttpMethod.Get, eventsPath);
            Assert.Equal(HttpStatusCode.OK, status);
            var hooks = body["events"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "webhook").Select(e => e!).ToList();
            if (hooks.Any(e => e["payload"]!["outcome"]!.GetValue<string>() == outcome))
            {
                return hooks;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No webhook event '{outcome}' in {eventsPath}.");
    }

    [Fact]
    public async Task A_completed_and_a_failed_job_each_post_one_signed_notification_with_their_outcome()
    {
        fixture.Pages.Html("/wh/ok.html", "<html lang=\"en\"><body><main><h1>Hooked</h1><p>Done.</p></main></body></html>");
        var done = Receive("/hooks/done");
        var failed = Receive("/hooks/failed");
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var okId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/wh/ok.html"), webhook = fixture.Pages.Url("/hooks/done") });
        var badId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/wh/missing.html"), webhook = fixture.Pages.Url("/hooks/failed") });
        var ok = await Api.WaitTerminalAsync(client, okId);
        var bad = await Api.WaitTerminalAsync(client, badId);

        var completed = Assert.Single(await WaitForAsync(done, 1));
        AssertSigned(completed);
        Assert.Equal("job.finished", completed.Headers["X-EventMonitor-Event"]);
        var json = completed.Json;
        Assert.Equal("job.finished", json["event"]!.GetValue<string>());
        Assert.Equal(okId, json["job_id"]!.GetValue<string>());
        Assert.Null(json["batch_id"]);
        Assert.Equal("completed", json["status"]!.GetValue<string>());
        Assert.Equal(ok["completed_at"]!.GetValue<string>(), json["finished_at"]!.GetValue<string>());
        Assert.Null(json["error"]);
        Assert.Equal(ok["results"]!["markdown_file"]!.GetValue<string>(), json["results"]!["markdown_file"]!.GetValue<string>());

        var failure = Assert.Single(await WaitForAsync(failed, 1));
        AssertSigned(failure);
        json = failure.Json;
        Assert.Equal(badId, json["job_id"]!.GetValue<string>());
        Assert.Equal("failed", json["status"]!.GetValue<string>());
        Assert.Equal(bad["completed_at"]!.GetValue<string>(), json["finished_at"]!.GetValue<string>());
        Assert.Equal("not_found", json["error"]!["code"]!.GetValue<string>());
        Assert.Equal(bad["error"]!["message"]!.GetValue<string>(), json["error"]!["message"]!.GetValue<string>());
        Assert.Null(json["results"]);
        Assert.NotEqual(completed.Headers["X-EventMonitor-Delivery"], failure.Headers["X-EventMonitor-Delivery"]);

        var delivered = Assert.Single(await WebhookEventsAsync(client, $"api/jobs/{okId}/events?after=0", "delivered"));
        Assert.Equal("success", delivered["level"]!.GetValue<string>());
        Assert.Equal(completed.Headers["X-EventMonitor-Delivery"], delivered["payload"]!["delivery_id"]!.GetValue<string>());
        await WebhookEventsAsync(client, $"api/jobs/{badId}/events?after=0", "delivered");
        // Delivering never touches the job.
        Assert.Equal("failed", (await Api.WaitTerminalAsync(client, badId))["status"]!.GetValue<string>());
        Assert.DoesNotContain(Secret, fixture.App.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_finished_batch_posts_its_status_and_counts_to_its_own_webhook()
    {
        fixture.Pages.Html("/wh/b1.html", "<html lang=\"en\"><body><main><h1>Batch one</h1><p>One.</p></main></body></html>");
        var received = Receive("/hooks/batch");
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var batch = await Api.CreateBatchAsync(client, new { batch_name = "Hooked batch", webhook = fixture.Pages.Url("/hooks/batch"), jobs = new object[] { new { url = fixture.Pages.Url("/wh/b1.html") }, new { url = fixture.Pages.Url("/wh/b-missing.html") } } });
        var batchId = batch["batch_id"]!.GetValue<string>();
        Assert.Equal(fixture.Pages.Url("/hooks/batch"), batch["webhook"]!.GetValue<string>());

        var delivery = Assert.Single(await WaitForAsync(received, 1));
        AssertSigned(delivery);
        var json = delivery.Json;
        Assert.Equal("batch.finished", json["event"]!.GetValue<string>());
        Assert.Equal(batchId, json["batch_id"]!.GetValue<string>());
        Assert.Equal("completed_with_errors", json["status"]!.GetValue<string>());
        Assert.Equal(2, json["job_count"]!.GetValue<int>());
        Assert.Equal(1, json["completed_count"]!.GetValue<int>());
        Assert.Equal(1, json["failed_count"]!.GetValue<int>());
        Assert.Equal(0, json["cancelled_count"]!.GetValue<int>());
        var (_, after) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}");
        Assert.Equal(after["data"]!["completed_at"]!.GetValue<string>(), json["finished_at"]!.GetValue<string>());
        await WebhookEventsAsync(client, $"api/event-job/batches/{batchId}/events", "delivered");
        // The batch's jobs have no webhook of their own: one notification in all.
        await Task.Delay(500);
        Assert.Single(received);
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_same_delivery_three_times_and_the_job_log_shows_it()
    {
        fixture.Pages.Html("/wh/flaky.html", "<html lang=\"en\"><body><main><h1>Flaky receiver</h1><p>Hi.</p></main></body></html>");
        var received = Receive("/hooks/flaky", n => n <= 2 ? 500 : 200);
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var jobId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/wh/flaky.html"), webhook = fixture.Pages.Url("/hooks/flaky") });
        var deliveries = await WaitForAsync(received, 3);
        var hooks = await WebhookEventsAsync(client, $"api/jobs/{jobId}/events?after=0", "delivered");

        Assert.Equal(3, deliveries.Count);
        Assert.Single(deliveries.Select(d => d.Headers["X-EventMonitor-Delivery"]).Distinct());
        Assert.Single(deliveries.Select(d => d.Body).Distinct());
        Assert.All(deliveries, AssertSigned);
        Assert.Equal(["retrying", "retrying", "delivered"], hooks.Select(e => e["payload"]!["outcome"]!.GetValue<string>()));
        Assert.Equal([1, 2, 3], hooks.Select(e => e["payload"]!["attempt"]!.GetValue<int>()));
        Assert.Equal([500, 500, 200], hooks.Select(e => e["payload"]!["status_code"]!.GetValue<int>()));
        Assert.Equal("completed", (await Api.WaitTerminalAsync(client, jobId))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_receiver_that_always_fails_is_given_up_after_the_configured_attempts()
    {
        fixture.Pages.Html("/wh/down.html", "<html lang=\"en\"><body><main><h1>Receiver down</h1><p>Hi.</p></main></body></html>");
        var received = Receive("/hooks/down", _ => 503);
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var jobId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/wh/down.html"), webhook = fixture.Pages.Url("/hooks/down") });
        var hooks = await WebhookEventsAsync(client, $"api/jobs/{jobId}/events?after=0", "gave_up");

        // Webhooks__MaxAttempts is 4 here.
        Assert.Equal(["retrying", "retrying", "retrying", "gave_up"], hooks.Select(e => e["payload"]!["outcome"]!.GetValue<string>()));
        Assert.Equal("error", hooks[^1]["level"]!.GetValue<string>());
        await Task.Delay(1000);
        Assert.Equal(4, received.Count);
        Assert.Single(received.Select(d => d.Headers["X-EventMonitor-Delivery"]).Distinct());
        Assert.Equal("completed", (await Api.WaitTerminalAsync(client, jobId))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_webhook_to_an_address_the_guard_refuses_is_never_sent_nor_retried_and_is_logged()
    {
        fixture.Pages.Html("/wh/blocked.html", "<html lang=\"en\"><body><main><h1>Blocked hook</h1><p>Hi.</p></main></body></html>");
        // Loopback, but not an allowed origin: a connection here would prove the guard was bypassed.
        var trap = new TcpListener(IPAddress.Loopback, Ports.Free());
        trap.Start();
        try
        {
            using var client = fixture.App.Client(fixture.Keys.Alice);
            foreach (var hook in new[] { $"http://127.0.0.1:{((IPEndPoint)trap.LocalEndpoint).Port}/hook", "http://169.254.169.254/latest/meta-data/" })
            {
                var jobId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/wh/blocked.html"), webhook = hook });
                var events = await WebhookEventsAsync(client, $"api/jobs/{jobId}/events?after=0", "blocked");

                var blocked = Assert.Single(events);
                Assert.Equal("error", blocked["level"]!.GetValue<string>());
                Assert.Contains("not retried", blocked["message"]!.GetValue<string>(), StringComparison.Ordinal);
                Assert.Equal("completed", (await Api.WaitTerminalAsync(client, jobId))["status"]!.GetValue<string>());
            }
            // A retry would have come after 0.2 s; none did, and nothing ever connected.
            await Task.Delay(1000);
            Assert.False(trap.Pending(), "the app connected to an address the SSRF guard must refuse");
        }
        finally
        {
            trap.Stop();
        }
    }
}
