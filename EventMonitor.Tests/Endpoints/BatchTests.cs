using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Endpoints;

/// <summary>Batches end to end: fan-out, exact counts, pause, restart, fail-all, archive and delete.</summary>
public sealed class BatchTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private string Page(string path, string title, string? track = null)
    {
        fixture.Pages.Html(path, $"<html lang=\"en\"><head><meta property=\"og:site_name\" content=\"BatchConf\"></head><body><main><h1>{title}</h1><p>About {title}.</p></main></body></html>");
        return fixture.Pages.Url(path);
    }

    private static async Task<JsonObject> WaitBatchAsync(HttpClient client, string batchId, Func<JsonObject, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        JsonObject? batch = null;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}?limit=500");
            Assert.Equal(HttpStatusCode.OK, status);
            batch = body["data"]!.AsObject();
            if (done(batch))
            {
                return batch;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Batch {batchId} did not get there: {batch?.ToJsonString()}");
    }

    private static void AssertCountsAddUp(JsonObject batch)
    {
        var jobs = batch["jobs"]!.AsArray();
        int Count(string status) => jobs.Count(j => j!["status"]!.GetValue<string>() == status);
        Assert.Equal(jobs.Count, batch["job_count"]!.GetValue<int>());
        foreach (var status in new[] { "pending", "processing", "completed", "failed", "cancelled" })
        {
            Assert.Equal(Count(status), batch[$"{status}_count"]!.GetValue<int>());
        }
    }

    private static bool Terminal(JsonObject b) => b["status"]!.GetValue<string>() is "completed" or "completed_with_errors" or "cancelled";

    private static async Task<string> CreateBatchAsync(HttpClient client, object body) =>
        (await Api.CreateBatchAsync(client, body))["batch_id"]!.GetValue<string>();

    [Fact]
    public async Task A_batch_fans_out_completes_with_exact_counts_and_downloads_as_a_zip_with_an_index()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var urls = new[] { Page("/b1/a.html", "Alpha"), Page("/b1/b.html", "Beta"), Page("/b1/c.html", "Gamma") };
        var batchId = await CreateBatchAsync(client, new
        {
            batch_name = "Batch one",
            parameters = new { @event = "BatchConf", track = "Main", day = "Saturday" },
            jobs = new object[] { new { url = urls[0], session = "Alpha" }, new { parameters = new { url = urls[1], session = "Beta" } }, new { url = urls[2], session = "Alpha" } },
        });

        var batch = await WaitBatchAsync(client, batchId, Terminal);

        Assert.Equal("completed", batch["status"]!.GetValue<string>());
        Assert.Equal(3, batch["completed_count"]!.GetValue<int>());
        AssertCountsAddUp(batch);
        var files = batch["jobs"]!.AsArray().Select(j => j!["results"]!["markdown_file"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([$"batches/{batchId}/batchconf/en/main/alpha-2.md", $"batches/{batchId}/batchconf/en/main/alpha.md", $"batches/{batchId}/batchconf/en/main/beta.md"], files);
        var events = (await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}/events?after=0")).Body["events"]!.AsArray();
        Assert.Single(events, e => e!["type"]!.GetValue<string>() == "completed");

        using var zipResponse = await client.GetAsync($"api/event-job/batches/{batchId}/archive");
        Assert.Equal(HttpStatusCode.OK, zipResponse.StatusCode);
        Assert.Equal("application/zip", zipResponse.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await zipResponse.Content.ReadAsByteArrayAsync()));
        var names = zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["batchconf/en/main/alpha-2.md", "batchconf/en/main/alpha.md", "batchconf/en/main/beta.md", "index.md", "manifest.json"], names);
        using var index = new StreamReader(zip.GetEntry("index.md")!.Open());
        var indexText = await index.ReadToEndAsync();
        Assert.Contains("## Saturday", indexText, StringComparison.Ordinal);
        Assert.Contains("### Main", indexText, StringComparison.Ordinal);
        using var md = new StreamReader(zip.GetEntry("batchconf/en/main/beta.md")!.Open());
        using var direct = await client.GetAsync($"api/event-job/files/batches/{batchId}/batchconf/en/main/beta.md");
        Assert.Equal(await direct.Content.ReadAsStringAsync(), await md.ReadToEndAsync());
    }

    [Fact]
    public async Task A_failed_job_makes_the_batch_completed_with_errors_and_restarting_failures_completes_it()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var good = Page("/b2/good.html", "Good");
        var batchId = await CreateBatchAsync(client, new { jobs = new[] { new { url = good }, new { url = fixture.Pages.Url("/b2/later.html") } } });

        var batch = await WaitBatchAsync(client, batchId, Terminal);
        Assert.Equal("completed_with_errors", batch["status"]!.GetValue<string>());
        Assert.Equal(1, batch["failed_count"]!.GetValue<int>());
        AssertCountsAddUp(batch);

        Page("/b2/later.html", "Later");
        var (status, restart) = await Api.SendAsync(client, HttpMethod.Post, $"api/event-job/batches/{batchId}/restart", new { });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, restart["data"]!["restarted_count"]!.GetValue<int>());

        batch = await WaitBatchAsync(client, batchId, b => b["status"]!.GetValue<string>() == "completed");
        AssertCountsAddUp(batch);
        var restarted = batch["jobs"]!.AsArray().Single(j => j!["parameters"]!["url"]!.GetValue<string>().EndsWith("later.html", StringComparison.Ordinal))!;
        Assert.Equal(2, restarted["attempts"]!.GetValue<int>());
        Assert.Null(restarted["error"]);
    }

    [Fact]
    public async Task A_paused_batch_starts_nothing_until_it_is_resumed()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var batchId = await CreateBatchAsync(client, new { active = false, jobs = new[] { new { url = Page("/b3/p.html", "Paused") } } });

        await Task.Delay(TimeSpan.FromSeconds(2));
        var paused = (await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}")).Body["data"]!.AsObject();
        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        Assert.Equal(1, paused["pending_count"]!.GetValue<int>());

        var (status, toggled) = await Api.SendAsync(client, HttpMethod.Post, $"api/event-job/batches/{batchId}/toggle-active");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(toggled["data"]!["active"]!.GetValue<bool>());
        var done = await WaitBatchAsync(client, batchId, Terminal);
        Assert.Equal("completed", done["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_of_a_batch_cancels_pending_jobs_at_once_and_stops_running_ones_at_their_next_step()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var urls = Enumerable.Range(1, 12).Select(i =>
        {
            var path = $"/b7/held-{i}.html";
            fixture.Pages.Map(path, async context =>
            {
                await gate.Task;
                await PageServer.WriteAsync(context, 200, "text/html; charset=utf-8", $"<html><body><main><h1>Held {i}</h1><p>Held.</p></main></body></html>");
            });
            return fixture.Pages.Url(path);
        }).ToList();
        var batchId = await CreateBatchAsync(client, new { jobs = urls.Select(url => new { url }) });
        // The pages hold every fetch, so at most one queue batch of jobs is processing and the rest wait.
        await WaitBatchAsync(client, batchId, b => b["processing_count"]!.GetValue<int>() > 0 && b["pending_count"]!.GetValue<int>() > 0);

        var (status, cancel) = await Api.SendAsync(client, HttpMethod.Post, $"api/event-job/batches/{batchId}/cancel");
        gate.SetResult();

        Assert.Equal(HttpStatusCode.OK, status);
        var cancelled = cancel["data"]!["cancelled_count"]!.GetValue<int>();
        var requested = cancel["data"]!["cancel_requested_count"]!.GetValue<int>();
        Assert.Equal(12, cancelled + requested);
        Assert.True(cancelled > 0 && requested > 0, cancel.ToJsonString());
        var done = await WaitBatchAsync(client, batchId, Terminal);
        Assert.Equal("cancelled", done["status"]!.GetValue<string>());
        Assert.Equal(12, done["cancelled_count"]!.GetValue<int>());
        AssertCountsAddUp(done);
        var stopped = done["jobs"]!.AsArray().Where(j => j!["started_at"] is not null).Select(j => j!["job_id"]!.GetValue<string>()).ToList();
        Assert.Equal(requested, stopped.Count);
        foreach (var jobId in stopped)
        {
            var types = (await Api.EventsAsync(client, jobId)).Select(e => e!["type"]!.GetValue<string>()).ToList();
            Assert.True(types.IndexOf("cancel_requested") < types.IndexOf("cancelled") && !types.Contains("completed"), string.Join(",", types));
        }
        Assert.All(done["jobs"]!.AsArray(), j => Assert.Null(j!["results"]));

        // Cancelling a finished batch changes nothing and succeeds.
        (status, cancel) = await Api.SendAsync(client, HttpMethod.Post, $"api/event-job/batches/{batchId}/cancel");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, cancel["data"]!["cancelled_count"]!.GetValue<int>() + cancel["data"]!["cancel_requested_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Deleting_a_finished_job_adjusts_its_batch_and_a_running_one_is_refused()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var batchId = await CreateBatchAsync(client, new { jobs = new[] { new { url = Page("/b4/x.html", "X") }, new { url = Page("/b4/y.html", "Y") } } });
        var batch = await WaitBatchAsync(client, batchId, Terminal);
        var job = batch["jobs"]![0]!;
        var jobId = job["job_id"]!.GetValue<string>();

        var (deleted, _) = await Api.SendAsync(client, HttpMethod.Delete, $"api/event-job/jobs/{jobId}");
        Assert.Equal(HttpStatusCode.OK, deleted);

        var after = (await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}")).Body["data"]!.AsObject();
        Assert.Equal(1, after["job_count"]!.GetValue<int>());
        Assert.Equal("completed", after["status"]!.GetValue<string>());
        AssertCountsAddUp(after);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(client, HttpMethod.Get, $"api/jobs/{jobId}")).Status);
        using var file = await client.GetAsync($"api/event-job/files/{job["results"]!["markdown_file"]!.GetValue<string>()}");
        Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
    }

    [Fact]
    public async Task Fail_all_fails_one_batch_by_id_and_needs_confirmation_without_one()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var batchId = await CreateBatchAsync(client, new { active = false, jobs = new[] { new { url = Page("/b5/a.html", "A") }, new { url = Page("/b5/b.html", "B") } } });

        var (unconfirmed, error) = await Api.SendAsync(client, HttpMethod.Post, "api/event-job/batches/fail-all", new { reason = "no" });
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed);
        Assert.Equal("confirmation_required", error["error"]!["code"]!.GetValue<string>());

        var (status, body) = await Api.SendAsync(client, HttpMethod.Post, "api/event-job/batches/fail-all", new { batch_id = batchId, reason = "Manual failure" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body["data"]!["failed_count"]!.GetValue<int>());
        var batch = (await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}")).Body["data"]!.AsObject();
        Assert.Equal("completed_with_errors", batch["status"]!.GetValue<string>());
        Assert.Equal(2, batch["failed_count"]!.GetValue<int>());
        AssertCountsAddUp(batch);
        Assert.All(batch["jobs"]!.AsArray(), j => Assert.Equal("Manual failure", j!["error"]!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Put_renames_with_a_matching_etag_and_answers_412_on_a_stale_one()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var batchId = await CreateBatchAsync(client, new { active = false, jobs = new[] { new { url = Page("/b6/a.html", "A") } } });
        using var get = await client.GetAsync($"api/event-job/batches/{batchId}");
        var etag = get.Headers.ETag!.Tag;

        using var rename = new HttpRequestMessage(HttpMethod.Put, $"api/event-job/batches/{batchId}") { Content = JsonContentOf(new { batch_name = "Renamed" }) };
        rename.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        using var renamed = await client.SendAsync(rename);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Put, $"api/event-job/batches/{batchId}") { Content = JsonContentOf(new { batch_name = "Again" }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        using var refused = await client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        var batch = (await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}")).Body["data"]!;
        Assert.Equal("Renamed", batch["batch_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_a_batch_removes_it_its_jobs_and_its_files()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var batchId = await CreateBatchAsync(client, new { jobs = new[] { new { url = Page("/b7/a.html", "A") } } });
        var batch = await WaitBatchAsync(client, batchId, Terminal);
        var jobId = batch["jobs"]![0]!["job_id"]!.GetValue<string>();
        var file = batch["jobs"]![0]!["results"]!["markdown_file"]!.GetValue<string>();

        var (status, _) = await Api.SendAsync(client, HttpMethod.Delete, $"api/event-job/batches/{batchId}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(client, HttpMethod.Get, $"api/jobs/{jobId}")).Status);
        using var admin = fixture.App.Client(fixture.Keys.Admin);
        using var gone = await admin.GetAsync($"api/event-job/files/{file}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Lists_filter_sort_page_and_count_what_the_filter_matches()
    {
        using var client = fixture.App.Client(fixture.Keys.Bob);
        var marker = "zz" + Guid.NewGuid().ToString("N")[..8];
        var batchId = await CreateBatchAsync(client, new
        {
            batch_name = marker,
            active = false,
            jobs = Enumerable.Range(0, 7).Select(i => new { url = fixture.Pages.Url($"/b8/{i}.html"), session = $"{marker} talk {i}" }).ToArray(),
        });

        var (status, page1) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/jobs?batch_id={batchId}&limit=3&skip=0&sort=job_name&order=asc");
        Assert.Equal(HttpStatusCode.OK, status);
        var (_, page3) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/jobs?batch_id={batchId}&limit=3&skip=6&sort=job_name&order=asc");
        Assert.Equal(7, page1["data"]!["total"]!.GetValue<long>());
        Assert.Equal([$"{marker} talk 0", $"{marker} talk 1", $"{marker} talk 2"], page1["data"]!["jobs"]!.AsArray().Select(j => j!["job_name"]!.GetValue<string>()));
        Assert.Equal([$"{marker} talk 6"], page3["data"]!["jobs"]!.AsArray().Select(j => j!["job_name"]!.GetValue<string>()));

        var (_, text) = await Api.SendAsync(client, HttpMethod.Get, $"api/jobs?q={marker.ToUpperInvariant()}%20TALK%205");
        Assert.Equal(1, text["total"]!.GetValue<long>());
        Assert.Equal("pending", text["jobs"]![0]!["state"]!.GetValue<string>());

        var (_, batches) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches?q={marker}&status=paused");
        Assert.Equal(1, batches["data"]!["total"]!.GetValue<long>());
        Assert.Equal(batchId, batches["data"]!["batches"]![0]!["batch_id"]!.GetValue<string>());

        using var alice = fixture.App.Client(fixture.Keys.Alice);
        var (_, others) = await Api.SendAsync(alice, HttpMethod.Get, $"api/event-job/batches?q={marker}");
        Assert.Equal(0, others["data"]!["total"]!.GetValue<long>());
        var (forbidden, _) = await Api.SendAsync(alice, HttpMethod.Get, "api/event-job/jobs?user_id=bob");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        using var admin = fixture.App.Client(fixture.Keys.Admin);
        var (_, adminView) = await Api.SendAsync(admin, HttpMethod.Get, $"api/event-job/jobs?user_id=bob&batch_id={batchId}");
        Assert.Equal(7, adminView["data"]!["total"]!.GetValue<long>());
    }

    private static StringContent JsonContentOf(object value) =>
        new(System.Text.Json.JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
