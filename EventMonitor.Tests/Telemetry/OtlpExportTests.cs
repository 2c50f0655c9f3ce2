using Azure.Storage.Queues;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Telemetry;

/// <summary>
/// The app exports to an OTLP/HTTP receiver the test runs: job counters, the fetch histogram, the queue
/// gauges, logs carrying their job's and batch's ids, and spans tagged with them. The app process is
/// this class's own, so its counters are exactly what these tests did.
/// </summary>
public sealed class OtlpExportTests(OtlpExportTests.OtlpFixture fixture) : IClassFixture<OtlpExportTests.OtlpFixture>
{
    public sealed class OtlpFixture(LocalStack stack) : AppFixture(stack)
    {
        public OtlpReceiver Receiver { get; } = new();

        protected override void Configure(Dictionary<string, string?> environment)
        {
            environment["Telemetry__Exporter"] = "otlp";
            environment["Telemetry__OtlpEndpoint"] = Receiver.Endpoint;
            environment["Telemetry__OtlpProtocol"] = "http/protobuf";
            environment["Telemetry__ExportInterval"] = "00:00:00.500";
            environment["Telemetry__QueueDepthCacheDuration"] = "00:00:00.500";
            environment["Logging__LogLevel__EventMonitor"] = "Information";
        }

        public QueueClient Queue(string suffix = "") => new(Stack.StorageConnectionString, "work-" + Database + suffix, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Receiver.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_completed_and_a_failed_job_are_each_counted_once_with_their_fetches_logs_and_spans()
    {
        fixture.Pages.Html("/otel/talk.html", "<html lang=\"en\"><body><main><h1>Measured talk</h1><p>Counted once.</p></main></body></html>");
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var batch = await Api.CreateBatchAsync(client, new { batch_name = "Telemetry", jobs = new[] { new { url = fixture.Pages.Url("/otel/talk.html") }, new { url = fixture.Pages.Url("/otel/missing.html") } } });
        var batchId = batch["batch_id"]!.GetValue<string>();
        var jobIds = batch["jobs"]!.AsArray().ToDictionary(j => j!["parameters"]!["url"]!.GetValue<string>(), j => j!["job_id"]!.GetValue<string>());
        var completedId = jobIds[fixture.Pages.Url("/otel/talk.html")];
        var failedId = jobIds[fixture.Pages.Url("/otel/missing.html")];
        Assert.Equal("completed", (await Api.WaitTerminalAsync(client, completedId))["status"]!.GetValue<string>());
        Assert.Equal("failed", (await Api.WaitTerminalAsync(client, failedId))["status"]!.GetValue<string>());

        var receiver = fixture.Receiver;
        await UntilAsync(() => receiver.Latest("eventmonitor.jobs.completed")?.Value == 1 && receiver.Latest("eventmonitor.jobs.failed", ("error_code", "not_found"))?.Value == 1, "both job counters exported");
        // Cumulative counters: a later export must not have counted either job again.
        await Task.Delay(1500);
        Assert.Equal(1, receiver.Latest("eventmonitor.jobs.completed")!.Value);
        Assert.Equal(1, receiver.Latest("eventmonitor.jobs.failed", ("error_code", "not_found"))!.Value);
        var ran = receiver.Latest("eventmonitor.job.duration", ("status", "completed"))!;
        Assert.Equal(1UL, ran.Count);
        Assert.True(ran.Sum > 0, "a completed job ran for no time");

        var page = receiver.Latest("eventmonitor.fetch.duration", ("purpose", "page"), ("outcome", "ok"), ("status_class", "2xx"))!;
        Assert.Equal(1UL, page.Count);
        Assert.True(page.Sum > 0 && page.Sum < 10, $"fetch took {page.Sum} s");
        Assert.Equal(1UL, receiver.Latest("eventmonitor.fetch.duration", ("purpose", "page"), ("outcome", "not_found"), ("status_class", "4xx"))!.Count);
        Assert.True(receiver.Latest("eventmonitor.fetch.duration", ("purpose", "robots"), ("outcome", "not_found"))!.Count >= 1, "robots.txt was not measured");
        Assert.DoesNotContain(receiver.Points, p => p.Name == "eventmonitor.fetch.duration" && p.Attributes.Values.Any(v => v.Contains("/otel/", StringComparison.Ordinal)));

        // The end of each job is logged inside its scope: job_id and batch_id are attributes of the record.
        bool Ended(LogEntry log, string jobId, string text) => log.Attributes.GetValueOrDefault("job_id") == jobId && log.Body.Contains(text, StringComparison.Ordinal);
        await UntilAsync(() => receiver.Logs.Any(l => Ended(l, failedId, "ended failed: not_found")) && receiver.Logs.Any(l => Ended(l, completedId, "ended completed")), "both jobs' end log records");
        Assert.Equal(batchId, receiver.Logs.Single(l => Ended(l, completedId, "ended completed")).Attributes["batch_id"]);
        Assert.Equal(batchId, receiver.Logs.Single(l => Ended(l, failedId, "ended failed")).Attributes["batch_id"]);
        await UntilAsync(() => receiver.Logs.Any(l => l.Attributes.GetValueOrDefault("batch_id") == batchId && !l.Attributes.ContainsKey("job_id") && l.Body.Contains("fanned out 2 jobs", StringComparison.Ordinal)), "the fan-out's log record in its scope");

        await UntilAsync(() => receiver.Spans.Any(s => s.Name == "convert job" && s.Attributes.GetValueOrDefault("job_id") == completedId), "the completed job's span");
        await UntilAsync(() => receiver.Spans.Any(s => s.Name == "convert job" && s.Attributes.GetValueOrDefault("job_id") == failedId && s.Attributes.GetValueOrDefault("batch_id") == batchId), "the failed job's span");
        await UntilAsync(() => receiver.Spans.Any(s => s.Name == "fan out batch" && s.Attributes.GetValueOrDefault("batch_id") == batchId), "the fan-out's span");
    }

    [Fact]
    public async Task Jobs_ended_through_the_api_are_counted_and_their_requests_traced_with_their_ids()
    {
        // A paused batch starts nothing: its jobs end only as this test ends them.
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var batch = await Api.CreateBatchAsync(client, new { batch_name = "Paused", active = false, jobs = new[] { new { url = fixture.Pages.Url("/otel/never.html") }, new { url = fixture.Pages.Url("/otel/never-either.html") } } });
        var batchId = batch["batch_id"]!.GetValue<string>();
        var cancelledId = batch["jobs"]![0]!["job_id"]!.GetValue<string>();
        var failedId = batch["jobs"]![1]!["job_id"]!.GetValue<string>();

        Assert.Equal(System.Net.HttpStatusCode.OK, (await Api.SendAsync(client, HttpMethod.Post, $"api/jobs/{cancelledId}/cancel")).Status);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Api.SendAsync(client, HttpMethod.Post, "api/event-job/batches/fail-all", new { batch_id = batchId, reason = "Stopped by the test." })).Status);

        var receiver = fixture.Receiver;
        await UntilAsync(() => receiver.Latest("eventmonitor.jobs.cancelled")?.Value == 1 && receiver.Latest("eventmonitor.jobs.failed", ("error_code", "failed_by_user"))?.Value == 1, "the cancelled and the user-failed job counted");
        Assert.Null(receiver.Latest("eventmonitor.job.duration", ("status", "cancelled")));
        await UntilAsync(() => receiver.Spans.Any(s => s.Attributes.GetValueOrDefault("http.route") == "/api/jobs/{jobId}/cancel" && s.Attributes.GetValueOrDefault("job_id") == cancelledId), "the cancel request's span tagged with the job id");
        // Spans arrive in export batches: the later requests' spans may come one export after the cancel's.
        await UntilAsync(() => receiver.Spans.Any(s => s.Attributes.GetValueOrDefault("http.route") == "/api/event-job/batches/{batchId}" && s.Attributes.GetValueOrDefault("batch_id") == batchId), "a batch request's span tagged with the batch id");
        await UntilAsync(() => receiver.Spans.Any(s => s.Name == "fail job" && s.Attributes.GetValueOrDefault("job_id") == failedId && s.Attributes.GetValueOrDefault("batch_id") == batchId), "the fail job span");
        await UntilAsync(() => receiver.Logs.Any(l => l.Attributes.GetValueOrDefault("job_id") == failedId && l.Attributes.GetValueOrDefault("batch_id") == batchId && l.Body.Contains("ended failed: failed_by_user", StringComparison.Ordinal)), "the user-failed job's log record in its scope");
        await UntilAsync(() => receiver.Logs.Any(l => l.Attributes.GetValueOrDefault("job_id") == cancelledId && l.Body.Contains("ended cancelled", StringComparison.Ordinal)), "the cancelled job's log record");
    }

    [Fact]
    public async Task The_queue_gauges_count_the_work_queue_and_its_poison_queue()
    {
        // Invisible messages count too, and these stay invisible long after the test: nothing consumes them.
        var poison = fixture.Queue("-poison");
        await poison.CreateIfNotExistsAsync();
        await poison.SendMessageAsync("{\"kind\":\"session\",\"job_id\":\"job-00000000-0000-0000-0000-000000000001\",\"pk\":\"job-00000000-0000-0000-0000-000000000001\"}", visibilityTimeout: TimeSpan.FromMinutes(10));
        await fixture.Queue().SendMessageAsync("{\"kind\":\"session\",\"job_id\":\"job-00000000-0000-0000-0000-000000000002\",\"pk\":\"job-00000000-0000-0000-0000-000000000002\"}", visibilityTimeout: TimeSpan.FromMinutes(10));

        await UntilAsync(() => fixture.Receiver.Latest("eventmonitor.queue.poison_depth")?.Value == 1 && fixture.Receiver.Latest("eventmonitor.queue.depth")?.Value >= 1, "both gauges exported with the waiting messages");
    }

    private static Task UntilAsync(Func<bool> condition, string what) => Wait.UntilAsync(condition, TimeSpan.FromSeconds(30), () => what);
}
