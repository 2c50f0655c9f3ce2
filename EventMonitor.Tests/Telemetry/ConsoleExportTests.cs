using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Telemetry;

/// <summary>With the console exporter, metrics are printed beside the log lines, and every log line shows its scope.</summary>
public sealed class ConsoleExportTests(ConsoleExportTests.ConsoleFixture fixture) : IClassFixture<ConsoleExportTests.ConsoleFixture>
{
    public sealed class ConsoleFixture(LocalStack stack) : AppFixture(stack)
    {
        protected override void Configure(Dictionary<string, string?> environment)
        {
            environment["Telemetry__Exporter"] = "console";
            environment["Telemetry__ExportInterval"] = "00:00:00.500";
            environment["Logging__LogLevel__EventMonitor"] = "Information";
        }
    }

    [Fact]
    public async Task A_job_is_logged_on_one_line_with_its_id_and_counted_on_the_console()
    {
        fixture.Pages.Html("/console/talk.html", "<html lang=\"en\"><body><main><h1>Printed</h1><p>On the console.</p></main></body></html>");
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var jobId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/console/talk.html") });
        Assert.Equal("completed", (await Api.WaitTerminalAsync(client, jobId))["status"]!.GetValue<string>());

        // The work item's own line comes after the job's end is committed, and so may the next metric export.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!(fixture.App.Output.Contains("Metric Name: eventmonitor.jobs.completed", StringComparison.Ordinal) && ScopedLines(jobId).Any(l => l.Contains("Work item done", StringComparison.Ordinal))) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        var output = fixture.App.Output;
        Assert.Contains("Metric Name: eventmonitor.jobs.completed", output, StringComparison.Ordinal);
        Assert.Contains("Metric Name: eventmonitor.fetch.duration", output, StringComparison.Ordinal);
        var lines = ScopedLines(jobId);
        Assert.True(lines.Any(l => l.Contains($"Job {jobId} ended completed", StringComparison.Ordinal)), "no scoped line for the job's end:\n" + output);
        Assert.True(lines.Any(l => l.Contains($"Work item done: {jobId}: completed.", StringComparison.Ordinal)), "no scoped line for the work item:\n" + output);
    }

    /// <summary>The scope is on the same line as the message, so grepping for a job id finds all of its lines.</summary>
    private List<string> ScopedLines(string jobId) =>
        fixture.App.Output.Split('\n').Where(l => l.Contains($"=> job_id:{jobId} ", StringComparison.Ordinal)).ToList();
}
