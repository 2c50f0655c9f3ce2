using System.Net;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Foundation;

/// <summary>The API's docs page is public, self-hosted and under the strict policy.</summary>
public sealed class ApiDocsPageTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_docs_page_and_its_script_need_no_key_and_render_the_openapi_document()
    {
        using var anonymous = fixture.App.Client();

        using var page = await anonymous.GetAsync("api/docs");
        using var script = await anonymous.GetAsync("monitor/js/api-docs.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("/monitor/js/api-docs.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", string.Join(";", page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("/api/openapi.json", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
