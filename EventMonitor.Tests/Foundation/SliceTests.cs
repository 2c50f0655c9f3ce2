using System.Net;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Foundation;

/// <summary>One session job end to end: HTTP API, queue, worker, Cosmos, Blob, over real HTTP and real emulators.</summary>
public sealed class SliceTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string Page = """
        <!DOCTYPE html>
        <html lang="en"><head><title>Rust in space | DemoConf</title><meta property="og:site_name" content="DemoConf 2026"></head>
        <body><nav><p>Menu</p></nav><main><h1>Rust in space</h1><p>We flew Rust to orbit.</p><p>It worked &amp; we lived.</p></main></body></html>
        """;

    [Fact]
    public async Task A_job_for_a_served_page_completes_and_its_markdown_and_events_read_back()
    {
        fixture.Pages.Html("/slice/rust.html", Page);
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var jobId = await Api.CreateJobAsync(client, new { parameters = new { url = fixture.Pages.Url("/slice/rust.html"), track = "Space" }, job_name = "Rust talk" });
        var job = await Api.WaitTerminalAsync(client, jobId);

        Assert.Equal("completed", job["status"]!.GetValue<string>());
        Assert.Equal("completed", job["state"]!.GetValue<string>());
        Assert.Equal(100, job["progress"]!["percent"]!.GetValue<int>());
        Assert.Equal(1, job["attempts"]!.GetValue<int>());
        var file = job["results"]!["markdown_file"]!.GetValue<string>();
        Assert.Equal($"jobs/{jobId}/democonf-2026/en/space/rust-in-space.md", file);

        using var download = await client.GetAsync($"api/event-job/files/{file}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var markdown = await download.Content.ReadAsStringAsync();
        Assert.StartsWith("---\n", markdown, StringComparison.Ordinal);
        Assert.Contains("title: Rust in space", markdown, StringComparison.Ordinal);
        Assert.Contains("It worked & we lived.", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Menu", markdown, StringComparison.Ordinal);

        var events = await Api.EventsAsync(client, jobId);
        var types = events.Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["queued", "started", "fetched", "extracted", "converted", "stored", "completed"], types);
        var ids = events.Select(e => e!["id"]!.GetValue<long>()).ToList();
        Assert.Equal(ids.Order().ToList(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(events, e => Assert.True(e!["timestamp"]!.GetValue<double>() > 1.7e9));

        var later = await Api.EventsAsync(client, jobId, after: ids[2]);
        Assert.Equal(ids.Skip(3), later.Select(e => e!["id"]!.GetValue<long>()));
    }

    [Fact]
    public async Task The_legacy_get_and_the_flat_body_form_answer_in_the_legacy_envelope()
    {
        fixture.Pages.Html("/slice/flat.html", Page);
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var jobId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/slice/flat.html"), @event = "Flat Conf", session = "Flat talk", filename = "flat.md" });
        await Api.WaitTerminalAsync(client, jobId);
        var (status, body) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/jobs/{jobId}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("success", body["status"]!.GetValue<string>());
        Assert.Equal("Flat talk", body["data"]!["job_name"]!.GetValue<string>());
        Assert.Equal($"jobs/{jobId}/flat-conf/en/general/flat.md", body["data"]!["results"]!["markdown_file"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_page_that_answers_404_ends_the_job_failed_with_an_error_event()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var jobId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/slice/missing.html") });
        var job = await Api.WaitTerminalAsync(client, jobId);

        Assert.Equal("failed", job["status"]!.GetValue<string>());
        Assert.Equal("not_found", job["error"]!["code"]!.GetValue<string>());
        Assert.Contains("404", job["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var last = (await Api.EventsAsync(client, jobId)).Last()!;
        Assert.Equal("error", last["type"]!.GetValue<string>());
        Assert.Equal("error", last["level"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_page_that_never_answers_is_retried_then_ends_failed_with_a_timeout()
    {
        fixture.Pages.Map("/slice/slow.html", async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(20));
            await PageServer.WriteAsync(context, 200, "text/html", Page);
        });
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var jobId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/slice/slow.html") });
        var job = await Api.WaitTerminalAsync(client, jobId);

        Assert.Equal("failed", job["status"]!.GetValue<string>());
        Assert.Equal("timeout", job["error"]!["code"]!.GetValue<string>());
        Assert.Equal(2, job["attempts"]!.GetValue<int>());
        var types = (await Api.EventsAsync(client, jobId)).Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Single(types, t => t == "retry");
        Assert.Equal("error", types[^1]);
    }

    [Fact]
    public async Task Another_users_job_and_its_files_answer_404()
    {
        fixture.Pages.Html("/slice/private.html", Page);
        using var alice = fixture.App.Client(fixture.Keys.Alice);
        using var bob = fixture.App.Client(fixture.Keys.Bob);
        var jobId = await Api.CreateJobAsync(alice, new { url = fixture.Pages.Url("/slice/private.html") });
        var job = await Api.WaitTerminalAsync(alice, jobId);
        var file = job["results"]!["markdown_file"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(bob, HttpMethod.Get, $"api/jobs/{jobId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(bob, HttpMethod.Get, $"api/jobs/{jobId}/events")).Status);
        using var download = await bob.GetAsync($"api/event-job/files/{file}");
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
    }
}
