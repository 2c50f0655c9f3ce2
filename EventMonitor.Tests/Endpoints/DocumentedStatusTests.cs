using System.Net;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Endpoints;

/// <summary>Documented statuses no other test produced (found by <see cref="EndpointCoverage"/>).</summary>
public sealed class DocumentedStatusTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_pending_job_has_no_archive_and_the_seed_restart_path_refuses_it()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var batch = await Api.CreateBatchAsync(client, new { active = false, jobs = new[] { new { url = fixture.Pages.Url("/ds/never.html") } } });
        var jobId = batch["jobs"]![0]!["job_id"]!.GetValue<string>();

        var (archive, noResults) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/jobs/{jobId}/download-archive");
        var (restart, refused) = await Api.SendAsync(client, HttpMethod.Post, $"api/event-job/{jobId}/restart");

        Assert.True(archive == HttpStatusCode.Conflict, $"download-archive answered {(int)archive}: {noResults.ToJsonString()}");
        Assert.Equal("error", noResults["status"]!.GetValue<string>());
        Assert.True(restart == HttpStatusCode.Conflict, $"restart answered {(int)restart}: {refused.ToJsonString()}");
        Assert.Equal("not_restartable", refused["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_seed_restart_path_answers_400_for_a_malformed_id()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var (status, body) = await Api.SendAsync(client, HttpMethod.Post, "api/event-job/job-not-a-uuid/restart");

        Assert.True(status == HttpStatusCode.BadRequest, $"answered {(int)status}: {body.ToJsonString()}");
        Assert.Equal("error", body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_batch_with_a_processing_job_cannot_be_deleted()
    {
        // Slow, but inside the 3 s fetch timeout, so the job stays processing long enough to try.
        fixture.Pages.Map("/ds/slow.html", async context =>
        {
            await Task.Delay(2500);
            await PageServer.WriteAsync(context, 200, "text/html; charset=utf-8", "<html lang=\"en\"><body><main><h1>Slow</h1><p>Slow.</p></main></body></html>");
        });
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var batch = await Api.CreateBatchAsync(client, new { jobs = new[] { new { url = fixture.Pages.Url("/ds/slow.html") } } });
        var batchId = batch["batch_id"]!.GetValue<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}?limit=1")).Body["data"]!["processing_count"]!.GetValue<int>() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the job never started processing");
            await Task.Delay(50);
        }

        var (status, body) = await Api.SendAsync(client, HttpMethod.Delete, $"api/event-job/batches/{batchId}");

        Assert.True(status == HttpStatusCode.Conflict, $"answered {(int)status}: {body.ToJsonString()}");
        Assert.Equal("error", body["status"]!.GetValue<string>());
        await Api.WaitTerminalAsync(client, batch["jobs"]![0]!["job_id"]!.GetValue<string>());
    }
}
