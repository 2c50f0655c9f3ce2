using System.IO.Compression;
using System.Net;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Endpoints;

/// <summary>Cancel, restart and download of single jobs.</summary>
public sealed class JobControlTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Restart_of_a_completed_job_clears_its_results_and_runs_it_again()
    {
        fixture.Pages.Html("/jc/r.html", "<html lang=\"en\"><body><main><h1>Restart me</h1><p>Once.</p></main></body></html>");
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var jobId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/jc/r.html") });
        await Api.WaitTerminalAsync(client, jobId);

        var (restartStatus, restarted) = await Api.SendAsync(client, HttpMethod.Post, $"api/event-job/jobs/{jobId}/restart");
        Assert.Equal(HttpStatusCode.OK, restartStatus);
        Assert.Equal("pending", restarted["data"]!["status"]!.GetValue<string>());
        Assert.Null(restarted["data"]!["results"]);
        Assert.Equal(0, restarted["data"]!["progress"]!["percent"]!.GetValue<int>());

        var again = await Api.WaitTerminalAsync(client, jobId);
        Assert.Equal("completed", again["status"]!.GetValue<string>());
        Assert.Equal(2, again["attempts"]!.GetValue<int>());
        var types = (await Api.EventsAsync(client, jobId)).Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(2, types.Count(t => t == "completed"));
        Assert.Contains("restarted", types);

        var (seedPath, _) = await Api.SendAsync(client, HttpMethod.Post, $"api/event-job/{jobId}/restart");
        Assert.Equal(HttpStatusCode.OK, seedPath);
        var (refused, body) = await Api.SendAsync(client, HttpMethod.Post, $"api/event-job/jobs/{jobId}/restart");
        Assert.True(refused is HttpStatusCode.Conflict or HttpStatusCode.OK, $"restart of a pending or processing job answered {refused}");
        if (refused == HttpStatusCode.Conflict)
        {
            Assert.Equal("not_restartable", body["error"]!["code"]!.GetValue<string>());
        }
        await Api.WaitTerminalAsync(client, jobId);
    }

    [Fact]
    public async Task Cancel_of_a_pending_job_cancels_it_at_once_and_is_harmless_on_a_finished_job()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var batch = await Api.CreateBatchAsync(client, new { active = false, jobs = new[] { new { url = fixture.Pages.Url("/jc/never.html") } } });
        var batchId = batch["batch_id"]!.GetValue<string>();
        var jobId = batch["jobs"]![0]!["job_id"]!.GetValue<string>();

        var (status, cancelled) = await Api.SendAsync(client, HttpMethod.Post, $"api/jobs/{jobId}/cancel");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("cancelled", cancelled["job"]!["state"]!.GetValue<string>());
        var (again, same) = await Api.SendAsync(client, HttpMethod.Post, $"api/jobs/{jobId}/cancel");
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal("cancelled", same["job"]!["status"]!.GetValue<string>());

        var (_, after) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}");
        Assert.Equal("cancelled", after["data"]!["status"]!.GetValue<string>());
        Assert.Equal(1, after["data"]!["cancelled_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_job_archive_holds_its_markdown_and_a_manifest_with_provenance()
    {
        fixture.Pages.Html("/jc/zip.html", "<html lang=\"en\"><body><main><h1>Zip me</h1><p>Zipped.</p></main></body></html>");
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var jobId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/jc/zip.html") });
        var job = await Api.WaitTerminalAsync(client, jobId);

        using var response = await client.GetAsync($"api/event-job/jobs/{jobId}/download-archive");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var relative = job["results"]!["markdown_file"]!.GetValue<string>()[$"jobs/{jobId}/".Length..];
        Assert.NotNull(zip.GetEntry(relative));
        using var manifest = new StreamReader(zip.GetEntry("manifest.json")!.Open());
        var text = await manifest.ReadToEndAsync();
        Assert.Contains(job["results"]!["content_hash"]!.GetValue<string>(), text, StringComparison.Ordinal);
        Assert.Contains(fixture.Pages.Url("/jc/zip.html"), text, StringComparison.Ordinal);
    }
}
