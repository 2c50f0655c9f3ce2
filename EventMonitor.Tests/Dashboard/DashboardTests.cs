using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using EventMonitor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EventMonitor.Tests.Dashboard;

/// <summary>
/// The dashboard in real headless Chromium: every action is a click in the page, and its effect is
/// checked through the API.
/// </summary>
public sealed class DashboardTests(AppFixture fixture, BrowserFixture browser) : IClassFixture<AppFixture>, IClassFixture<BrowserFixture>
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Slow = new() { Timeout = 45_000 };

    private HttpClient Client() => fixture.App.Client(fixture.Keys.Alice);

    private string Page(string path, string title)
    {
        fixture.Pages.Html(path, Html(title));
        return fixture.Pages.Url(path);
    }

    private static string Html(string title) =>
        $"<html lang=\"en\"><body><main><h1>{WebUtility.HtmlEncode(title)}</h1><p>About <strong>{WebUtility.HtmlEncode(title)}</strong>.</p><ul><li>one</li><li>two</li></ul></main></body></html>";

    /// <summary>Creates a batch and waits for its fan-out, so its jobs exist.</summary>
    private static async Task<string> CreateBatchAsync(HttpClient client, object body) =>
        (await Api.CreateBatchAsync(client, body))["batch_id"]!.GetValue<string>();

    private static async Task<JsonObject> BatchAsync(HttpClient client, string batchId)
    {
        var (status, json) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}?limit=500");
        Assert.Equal(HttpStatusCode.OK, status);
        return json["data"]!.AsObject();
    }

    private static async Task<JsonObject> JobAsync(HttpClient client, string jobId) =>
        (await Api.SendAsync(client, HttpMethod.Get, $"api/jobs/{jobId}")).Body["job"]!.AsObject();

    /// <summary>Polls the API until the condition holds: the page said so, now the API must agree.</summary>
    private static async Task<JsonObject> EventuallyAsync(Func<Task<JsonObject>> read, Func<JsonObject, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        JsonObject last;
        do
        {
            last = await read();
            if (done(last))
            {
                return last;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"{what}: {last.ToJsonString()}");
    }

    private static string JobIdOf(JsonObject batch, Func<JsonNode, bool> which) =>
        batch["jobs"]!.AsArray().First(j => which(j!))!["job_id"]!.GetValue<string>();

    [Fact]
    public async Task The_dashboard_files_need_no_key_and_carry_a_strict_content_security_policy()
    {
        // This app has no anonymous allowance: the API answers 401 without a key, the dashboard does not.
        using var http = fixture.App.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(http, HttpMethod.Get, "api/jobs")).Status);
        foreach (var path in new[] { "monitor", "monitor/", "monitor/app.css", "monitor/js/app.js", "monitor/js/views/job.js" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("http", csp, StringComparison.Ordinal);
        }
        using var missing = await http.GetAsync("monitor/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("\"status\":\"error\"", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The HTML loads nothing inline and nothing from another origin.
        var html = await http.GetStringAsync("monitor");
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("//", html.Replace("http://www.w3.org", "", StringComparison.Ordinal).Replace("<!--", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_reaches_100_percent_and_its_failed_job_is_found_explained_and_restarted_from_the_page()
    {
        using var client = Client();
        var fixedPage = false;
        fixture.Pages.Map("/dash1/late.html", context => fixedPage
            ? PageServer.WriteAsync(context, 200, "text/html; charset=utf-8", Html("Late talk"))
            : PageServer.WriteAsync(context, 404, "text/plain", "not here yet"));
        var batchId = await CreateBatchAsync(client, new
        {
            batch_name = "Dashboard run " + Guid.NewGuid().ToString("N")[..6],
            parameters = new { @event = "DashConf", track = "Main" },
            jobs = new object[]
            {
                new { url = Page("/dash1/a.html", "Opening"), session = "Opening <img src=x onerror=alert(1)>" },
                new { url = Page("/dash1/b.html", "Keynote"), session = "Keynote" },
                new { url = fixture.Pages.Url("/dash1/late.html"), session = "Late talk" },
            },
        });

        await using var tab = await DashboardSession.OpenAsync(browser.Browser, fixture.App.BaseAddress, DashboardSession.Desktop);
        var page = tab.Page;
        await tab.GotoAsync("#/batches");
        // Without a key the API answers 401 and the page asks for one.
        await Expect(page.Locator("#key-panel")).ToHaveAttributeAsync("open", "");
        await tab.EnterKeyAsync(fixture.Keys.Alice);

        // The batch's bar reaches 100% (two completed, one failed).
        var row = page.Locator($"tr[data-batch-id='{batchId}']");
        await Expect(row.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuenow", "100", Slow);
        var batch = await BatchAsync(client, batchId);
        Assert.Equal("completed_with_errors", batch["status"]!.GetValue<string>());
        Assert.Equal(1, batch["failed_count"]!.GetValue<int>());
        await Expect(row).ToContainTextAsync("completed with errors");
        await tab.AssertNoProblemsAsync("batch list");

        // The job table of the batch: every job's bar is at 100% or ended; filter to the failed one.
        await row.GetByRole(AriaRole.Link, new() { Name = batch["batch_name"]!.GetValue<string>() }).ClickAsync();
        await Expect(page.Locator("main h1")).ToHaveTextAsync($"Jobs of {batch["batch_name"]}");
        var jobRows = page.Locator("tbody tr[data-job-id]");
        await Expect(jobRows).ToHaveCountAsync(3);
        await Expect(page.Locator("tr[data-status='completed'] [role=progressbar][aria-valuenow='100']")).ToHaveCountAsync(2);
        // Untrusted text stays text: the session name's markup is shown, never parsed.
        await Expect(page.GetByText("Opening <img src=x onerror=alert(1)>")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("main img").CountAsync());

        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("failed");
        await Expect(jobRows).ToHaveCountAsync(1);
        var failedId = JobIdOf(batch, j => j["status"]!.GetValue<string>() == "failed");
        await Expect(jobRows.First).ToHaveAttributeAsync("data-job-id", failedId);
        Assert.Contains("status=failed", page.Url, StringComparison.Ordinal);
        await Expect(jobRows.First).ToContainTextAsync("not_found");
        await tab.AssertAccessibleAsync("job table");

        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("");
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" }).FillAsync("Keynote");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(jobRows).ToHaveCountAsync(1);
        await Expect(jobRows.First).ToContainTextAsync("Keynote");
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" }).FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(jobRows).ToHaveCountAsync(3);

        // The failed job's page: its error, and a red error event in the log.
        await page.GetByRole(AriaRole.Link, new() { Name = "Late talk" }).ClickAsync();
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Late talk");
        await Expect(page.Locator(".error-box")).ToContainTextAsync("not_found");
        var errorEvent = page.Locator("ol.events li.level-error").First;
        await Expect(errorEvent).ToBeVisibleAsync();
        await Expect(errorEvent.Locator(".level")).ToHaveTextAsync("error");
        var colour = await errorEvent.EvaluateAsync<string>("e => getComputedStyle(e).borderLeftColor");
        Assert.Equal("rgb(207, 34, 46)", colour);
        await Expect(page.Locator(".live")).ToHaveTextAsync("Finished · not updating");
        await tab.AssertNoProblemsAsync("failed job details");
        var before = await JobAsync(client, failedId);

        // Restart from the page; the log goes live again and the job completes on a second attempt.
        fixedPage = true;
        await page.GetByRole(AriaRole.Button, new() { Name = "Restart Late talk" }).ClickAsync();
        await Expect(page.Locator("main .badge.s-completed")).ToBeVisibleAsync(new() { Timeout = 45_000 });
        await Expect(page.Locator("ol.events li[data-type='restarted']")).ToHaveCountAsync(1);
        await Expect(page.Locator("ol.events li[data-type='completed'].level-success")).ToHaveCountAsync(1);
        await Expect(page.Locator(".error-box")).ToHaveCountAsync(0);
        var after = await JobAsync(client, failedId);
        Assert.Equal("completed", after["status"]!.GetValue<string>());
        Assert.Equal(before["attempts"]!.GetValue<int>() + 1, after["attempts"]!.GetValue<int>());
        await Expect(page.Locator("[data-field='attempts']")).ToHaveTextAsync(after["attempts"]!.GetValue<int>().ToString());

        // Its Markdown, rendered inside the page, and its ZIP.
        await page.GetByRole(AriaRole.Button, new() { Name = "Open Markdown" }).ClickAsync();
        var dialog = page.Locator("#markdown-dialog");
        await Expect(dialog.Locator("#markdown-body h1")).ToHaveTextAsync("Late talk");
        await Expect(dialog.Locator("#markdown-body li")).ToHaveCountAsync(2);
        await tab.AssertAccessibleAsync("Markdown viewer");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(dialog).Not.ToBeVisibleAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download Late talk as ZIP" }).ClickAsync());
        var path = Path.Combine(Path.GetTempPath(), $"dash-{Guid.NewGuid():N}.zip");
        await download.SaveAsAsync(path);
        using (var zip = ZipFile.OpenRead(path))
        {
            var markdown = zip.Entries.Single(e => e.FullName.EndsWith(".md", StringComparison.Ordinal));
            using var reader = new StreamReader(markdown.Open());
            Assert.Contains("Late talk", await reader.ReadToEndAsync(), StringComparison.Ordinal);
        }
        File.Delete(path);
        await tab.AssertNoProblemsAsync("the whole run");
    }

    [Fact]
    public async Task A_batch_is_cancelled_from_the_list_after_confirmation()
    {
        using var client = Client();
        var name = "Called off " + Guid.NewGuid().ToString("N")[..6];
        var batchId = await CreateBatchAsync(client, new { batch_name = name, active = false, jobs = new object[] { new { url = Page("/dash4/a.html", "Only"), session = "Only" } } });

        await using var tab = await DashboardSession.OpenAsync(browser.Browser, fixture.App.BaseAddress, DashboardSession.Desktop);
        var page = tab.Page;
        await tab.GotoAsync("#/batches");
        await tab.EnterKeyAsync(fixture.Keys.Alice);
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" }).FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        var row = page.Locator($"tr[data-batch-id='{batchId}']");
        var cancel = row.GetByRole(AriaRole.Button, new() { Name = $"Cancel unfinished jobs of {name}" });

        await cancel.ClickAsync();
        await page.Locator("#confirm-dialog").GetByRole(AriaRole.Button, new() { Name = "Cancel jobs" }).ClickAsync();
        await EventuallyAsync(() => BatchAsync(client, batchId), b => b["status"]!.GetValue<string>() == "cancelled", "cancel batch");
        await Expect(row).ToContainTextAsync("cancelled");
        await Expect(cancel).ToBeDisabledAsync();
        await tab.AssertNoProblemsAsync("batch list after cancel");
    }

    [Fact]
    public async Task Fail_all_unfinished_fails_the_callers_running_batches_after_confirmation()
    {
        // Bob's own batch, so no other test's batch is touched; its page holds the fetch, so the job stays unfinished.
        using var client = fixture.App.Client(fixture.Keys.Bob);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Pages.Map("/dash5/held.html", async context =>
        {
            await release.Task;
            await PageServer.WriteAsync(context, 200, "text/html; charset=utf-8", "<html><body><main><h1>Held</h1><p>Held.</p></main></body></html>");
        });
        var batchId = await CreateBatchAsync(client, new { batch_name = "Bob's running batch", jobs = new object[] { new { url = fixture.Pages.Url("/dash5/held.html") } } });

        await using var tab = await DashboardSession.OpenAsync(browser.Browser, fixture.App.BaseAddress, DashboardSession.Desktop);
        var page = tab.Page;
        await tab.GotoAsync("#/batches");
        await tab.EnterKeyAsync(fixture.Keys.Bob);
        await page.GetByRole(AriaRole.Button, new() { Name = "Fail all unfinished…" }).ClickAsync();
        await page.Locator("#confirm-dialog").GetByRole(AriaRole.Button, new() { Name = "Fail all" }).ClickAsync();
        release.SetResult();

        await EventuallyAsync(() => BatchAsync(client, batchId), b => b["failed_count"]!.GetValue<int>() == 1 && b["status"]!.GetValue<string>() == "completed_with_errors", "fail all");
        await Expect(page.Locator($"tr[data-batch-id='{batchId}']")).ToContainTextAsync("completed with errors");
        await tab.AssertNoProblemsAsync("batch list after fail all");
    }

    [Fact]
    public async Task A_paused_batch_is_steered_from_the_list_cancel_delete_fail_restart_resume_pause_archive_zip_and_delete()
    {
        using var client = Client();
        var name = "Steered " + Guid.NewGuid().ToString("N")[..6];
        var batchId = await CreateBatchAsync(client, new
        {
            batch_name = name,
            active = false,
            parameters = new { @event = "SteerConf" },
            jobs = new object[] { new { url = Page("/dash2/a.html", "First"), session = "First" }, new { url = Page("/dash2/b.html", "Second"), session = "Second" } },
        });
        var batch = await BatchAsync(client, batchId);
        var firstId = JobIdOf(batch, j => j["job_name"]!.GetValue<string>() == "First");

        await using var tab = await DashboardSession.OpenAsync(browser.Browser, fixture.App.BaseAddress, DashboardSession.Desktop);
        var page = tab.Page;
        await tab.GotoAsync($"#/jobs?batch_id={batchId}");
        await tab.EnterKeyAsync(fixture.Keys.Alice);

        // Cancel a pending job, then delete it after confirming.
        var first = page.Locator($"tr[data-job-id='{firstId}']");
        await first.GetByRole(AriaRole.Button, new() { Name = "Cancel First" }).ClickAsync();
        await EventuallyAsync(() => JobAsync(client, firstId), j => j["status"]!.GetValue<string>() == "cancelled", "cancel");
        await Expect(first).ToHaveAttributeAsync("data-status", "cancelled");
        await first.GetByRole(AriaRole.Button, new() { Name = "Delete First" }).ClickAsync();
        await page.Locator("#confirm-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete job" }).ClickAsync();
        await Expect(first).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(client, HttpMethod.Get, $"api/jobs/{firstId}")).Status);

        // The batch list: fail the unfinished job (confirmed), restart it, resume, pause, resume.
        await page.GetByRole(AriaRole.Link, new() { Name = "Batches", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" }).FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        var row = page.Locator($"tr[data-batch-id='{batchId}']");
        await Expect(page.Locator("tbody tr[data-batch-id]")).ToHaveCountAsync(1);

        await row.GetByRole(AriaRole.Button, new() { Name = $"Fail unfinished jobs of {name}" }).ClickAsync();
        await page.Locator("#confirm-dialog").GetByRole(AriaRole.Button, new() { Name = "Fail jobs" }).ClickAsync();
        await EventuallyAsync(() => BatchAsync(client, batchId), b => b["failed_count"]!.GetValue<int>() == 1, "fail unfinished");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Restart failed jobs of {name}" }).ClickAsync();
        await EventuallyAsync(() => BatchAsync(client, batchId), b => b["pending_count"]!.GetValue<int>() == 1, "restart failed");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Resume {name}" }).ClickAsync();
        await EventuallyAsync(() => BatchAsync(client, batchId), b => b["active"]!.GetValue<bool>(), "resume");
        await Expect(row.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuenow", "100", Slow);
        await EventuallyAsync(() => BatchAsync(client, batchId), b => b["status"]!.GetValue<string>() == "completed", "completion after resume");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Pause {name}" }).ClickAsync();
        await EventuallyAsync(() => BatchAsync(client, batchId), b => !b["active"]!.GetValue<bool>(), "pause");
        await Expect(row).ToContainTextAsync("paused");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Resume {name}" }).ClickAsync();
        await EventuallyAsync(() => BatchAsync(client, batchId), b => b["active"]!.GetValue<bool>(), "resume again");

        // Download the batch's ZIP and open it.
        var download = await page.RunAndWaitForDownloadAsync(() => row.GetByRole(AriaRole.Button, new() { Name = $"Download as ZIP {name}" }).ClickAsync());
        var path = Path.Combine(Path.GetTempPath(), $"dash-{Guid.NewGuid():N}.zip");
        await download.SaveAsAsync(path);
        Assert.Equal($"{batchId}.zip", download.SuggestedFilename);
        using (var zip = ZipFile.OpenRead(path))
        {
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("second.md", StringComparison.Ordinal));
        }
        File.Delete(path);

        // Archive, then delete after confirming.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Archive {name}" }).ClickAsync();
        await EventuallyAsync(() => BatchAsync(client, batchId), b => b["archived"]!.GetValue<bool>(), "archive");
        await Expect(row).ToContainTextAsync("archived");
        await tab.AssertNoProblemsAsync("batch list after actions");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Delete {name}" }).ClickAsync();
        await page.Locator("#confirm-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete batch" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}")).Status);
        await tab.AssertNoProblemsAsync("the whole run");
    }

    [Fact]
    public async Task Overview_batch_list_and_job_details_are_accessible_at_both_sizes_and_are_photographed()
    {
        using var client = Client();
        var name = "FOSDEM 2026 " + Guid.NewGuid().ToString("N")[..4];
        var batchId = await CreateBatchAsync(client, new
        {
            batch_name = name,
            parameters = new { @event = "FOSDEM 2026", track = "Main Track" },
            jobs = new object[]
            {
                new { url = Page("/dash3/a.html", "Welcome to FOSDEM"), session = "Welcome to FOSDEM" },
                new { url = Page("/dash3/b.html", "The state of open source"), session = "The state of open source" },
                new { url = Page("/dash3/c.html", "Rust in the kernel"), session = "Rust in the kernel" },
                new { url = fixture.Pages.Url("/dash3/gone.html"), session = "A withdrawn talk" },
            },
        });
        var batch = await EventuallyAsync(() => BatchAsync(client, batchId), b => b["status"]!.GetValue<string>() == "completed_with_errors", "batch end");
        var failedId = JobIdOf(batch, j => j["status"]!.GetValue<string>() == "failed");

        foreach (var size in new[] { DashboardSession.Desktop, DashboardSession.Phone })
        {
            await using var tab = await DashboardSession.OpenAsync(browser.Browser, fixture.App.BaseAddress, size);
            var page = tab.Page;
            await tab.GotoAsync();
            await tab.EnterKeyAsync(fixture.Keys.Alice);

            // Overview: counters and the recent failure, refreshed without reloading.
            var failedCounter = page.Locator("ul[aria-label='Jobs by status'] a.counter.s-failed .n");
            await Expect(failedCounter).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[1-9]"));
            await Expect(page.Locator(".failures")).ToContainTextAsync("A withdrawn talk");
            await Expect(page.GetByRole(AriaRole.Img)).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("^[1-9][0-9]* jobs completed in the last hour"));
            await tab.AssertAccessibleAsync($"overview {size}");
            await tab.ScreenshotAsync("overview");

            await page.GetByRole(AriaRole.Link, new() { Name = "Batches", Exact = true }).ClickAsync();
            await Expect(page.Locator($"tr[data-batch-id='{batchId}'] [role=progressbar]")).ToHaveAttributeAsync("aria-valuenow", "100");
            await tab.AssertAccessibleAsync($"batch list {size}");
            await tab.ScreenshotAsync("batches");

            await tab.GotoAsync($"#/job/{failedId}");
            await Expect(page.Locator("ol.events li.level-error")).Not.ToHaveCountAsync(0);
            await Expect(page.Locator(".live")).ToHaveTextAsync("Finished · not updating");
            await tab.AssertAccessibleAsync($"job details {size}");
            await tab.ScreenshotAsync("job-details");

            // Keyboard: after a load, the first Tab reaches the skip link, which leads to the content.
            await page.ReloadAsync();
            await Expect(page.Locator(".live")).ToHaveTextAsync("Finished · not updating");
            await page.Keyboard.PressAsync("Tab");
            await Expect(page.Locator("#skip-link")).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("main")).ToBeFocusedAsync();
            await tab.AssertNoProblemsAsync($"pages at {size}");
        }
    }
}
