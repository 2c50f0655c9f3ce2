using System.Net;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Orchestration;

/// <summary>Transient failures are retried with backoff and Retry-After; permanent ones fail at once.</summary>
public sealed class RetryTests(RetryTests.RetryFixture fixture) : IClassFixture<RetryTests.RetryFixture>
{
    public sealed class RetryFixture(LocalStack stack) : AppFixture(stack)
    {
        protected override void Configure(Dictionary<string, string?> environment)
        {
            environment["Orchestration__MaxAttempts"] = "4";
            environment["Orchestration__RetryBaseDelay"] = "00:00:00.100";
        }
    }

    [Fact]
    public async Task A_site_that_answers_503_twice_with_retry_after_is_retried_and_then_completes()
    {
        var calls = 0;
        var seen = new List<DateTime>();
        fixture.Pages.Map("/retry/busy.html", async context =>
        {
            lock (seen)
            {
                seen.Add(DateTime.UtcNow);
            }
            if (Interlocked.Increment(ref calls) <= 2)
            {
                context.Response.Headers["Retry-After"] = "1";
                await PageServer.WriteAsync(context, 503, "text/plain", "busy");
                return;
            }
            await PageServer.WriteAsync(context, 200, "text/html", "<html lang=\"en\"><body><main><h1>Finally</h1><p>Served.</p></main></body></html>");
        });
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var jobId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/retry/busy.html") });
        var job = await Api.WaitTerminalAsync(client, jobId);

        Assert.Equal("completed", job["status"]!.GetValue<string>());
        Assert.Equal(3, job["attempts"]!.GetValue<int>());
        var retries = (await Api.EventsAsync(client, jobId)).Where(e => e!["type"]!.GetValue<string>() == "retry").ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, r => Assert.True(r!["payload"]!["delay_seconds"]!.GetValue<double>() >= 1, "Retry-After was not honoured"));
        Assert.Equal(3, seen.Count);
        Assert.True(seen[1] - seen[0] >= TimeSpan.FromSeconds(0.9), $"second try came after {seen[1] - seen[0]}");
        Assert.True(seen[2] - seen[1] >= TimeSpan.FromSeconds(0.9), $"third try came after {seen[2] - seen[1]}");
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var jobId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/retry/gone.html") });
        var job = await Api.WaitTerminalAsync(client, jobId);

        Assert.Equal("failed", job["status"]!.GetValue<string>());
        Assert.Equal(1, job["attempts"]!.GetValue<int>());
        Assert.DoesNotContain(await Api.EventsAsync(client, jobId), e => e!["type"]!.GetValue<string>() == "retry");
        Assert.Equal(1, fixture.Pages.Hits["/retry/gone.html"]);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(client, HttpMethod.Get, $"api/jobs/{jobId}")).Status);
    }
}
