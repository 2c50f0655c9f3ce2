using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Endpoints;

/// <summary>use_cache reuses a fetched page from Blob Storage; use_cache: false fetches it again.</summary>
public sealed class FetchCacheTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_cached_page_is_not_fetched_again_unless_the_job_says_use_cache_false()
    {
        fixture.Pages.Map("/cache/page.html", context =>
        {
            context.Response.Headers["ETag"] = "\"v1\"";
            return PageServer.WriteAsync(context, 200, "text/html", "<html lang=\"en\"><body><main><h1>Cached</h1><p>Once.</p></main></body></html>");
        });
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var url = fixture.Pages.Url("/cache/page.html");

        var first = await Api.WaitTerminalAsync(client, await Api.CreateJobAsync(client, new { url }));
        var second = await Api.WaitTerminalAsync(client, await Api.CreateJobAsync(client, new { url, use_cache = true }));
        Assert.Equal(1, fixture.Pages.Hits["/cache/page.html"]);

        var third = await Api.WaitTerminalAsync(client, await Api.CreateJobAsync(client, new { url, use_cache = false }));
        Assert.Equal(2, fixture.Pages.Hits["/cache/page.html"]);

        Assert.All(new[] { first, second, third }, job => Assert.Equal("completed", job["status"]!.GetValue<string>()));
        Assert.Equal(first["results"]!["content_hash"]!.GetValue<string>(), second["results"]!["content_hash"]!.GetValue<string>());
        Assert.Equal(first["results"]!["content_hash"]!.GetValue<string>(), third["results"]!["content_hash"]!.GetValue<string>());
    }
}
