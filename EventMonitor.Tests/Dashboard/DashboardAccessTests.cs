using EventMonitor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EventMonitor.Tests.Dashboard;

/// <summary>An app with the Development allowance: loopback needs no key.</summary>
public sealed class AnonymousAppFixture(LocalStack stack) : AppFixture(stack)
{
    protected override void Configure(Dictionary<string, string?> environment) => environment["Auth__AllowAnonymousLoopback"] = "true";
}

/// <summary>The dashboard with the Development anonymous allowance: no key to enter.</summary>
public sealed class DashboardAccessTests(AnonymousAppFixture fixture, BrowserFixture browser) : IClassFixture<AnonymousAppFixture>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Without_a_key_the_development_allowance_shows_the_callers_jobs()
    {
        fixture.Pages.Html("/anon/a.html", "<html lang=\"en\"><body><main><h1>Anonymous talk</h1><p>Hi.</p></main></body></html>");
        using var client = fixture.App.Client();
        var jobId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/anon/a.html"), session = "Anonymous talk" });
        await Api.WaitTerminalAsync(client, jobId);

        await using var tab = await DashboardSession.OpenAsync(browser.Browser, fixture.App.BaseAddress, DashboardSession.Desktop);
        var page = tab.Page;
        await tab.GotoAsync();
        await Expect(page.Locator("ul[aria-label='Jobs by status'] a.counter.s-completed .n")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[1-9]"));
        await Expect(page.Locator("#key-summary")).ToHaveTextAsync("API key: none");
        Assert.Null(await page.Locator("#key-panel").GetAttributeAsync("open"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Jobs", Exact = true }).ClickAsync();
        await Expect(page.Locator($"tr[data-job-id='{jobId}']")).ToContainTextAsync("completed");
        await tab.AssertNoProblemsAsync("jobs with the anonymous allowance");
    }
}
