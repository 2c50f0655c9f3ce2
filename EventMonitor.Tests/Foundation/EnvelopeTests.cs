using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Foundation;

/// <summary>The trigger endpoints take exactly what the Functions host sends.</summary>
public sealed class EnvelopeTests(EnvelopeTests.ManualFixture fixture) : IClassFixture<EnvelopeTests.ManualFixture>
{
    /// <summary>No standalone runner here: the test plays the Functions host itself.</summary>
    public sealed class ManualFixture(LocalStack stack) : AppFixture(stack)
    {
        protected override void Configure(Dictionary<string, string?> environment) => environment["TriggerRunner__Enabled"] = "false";
    }

    [Fact]
    public async Task A_queue_message_arriving_as_a_json_string_runs_the_job()
    {
        fixture.Pages.Html("/envelope/page.html", "<html lang=\"en\"><body><main><h1>Envelope</h1><p>Delivered by hand.</p></main></body></html>");
        using var api = fixture.App.Client(fixture.Keys.Alice);
        var jobId = await Api.CreateJobAsync(api, new { url = fixture.Pages.Url("/envelope/page.html") });
        var message = JsonSerializer.Serialize(new { job_id = jobId, pk = jobId });
        var envelope = new JsonObject
        {
            ["Data"] = new JsonObject { ["workItem"] = message },
            ["Metadata"] = new JsonObject
            {
                ["DequeueCount"] = 1,
                ["Id"] = Guid.NewGuid().ToString(),
                ["InsertionTime"] = DateTimeOffset.UtcNow.ToString("O"),
                ["PopReceipt"] = "AgAAAAMAAAAAAAAA",
                ["sys"] = new JsonObject { ["MethodName"] = "ConvertSession", ["UtcNow"] = DateTimeOffset.UtcNow.ToString("O"), ["RandGuid"] = Guid.NewGuid().ToString() },
            },
        };

        using var host = fixture.App.Client();
        using var response = await host.PostAsJsonAsync("ConvertSession", envelope);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("completed", reply["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var (_, job) = await Api.SendAsync(api, HttpMethod.Get, $"api/jobs/{jobId}");
        Assert.Equal("completed", job["job"]!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_timer_arrives_as_an_object_or_as_a_json_string(bool asString)
    {
        var timer = new JsonObject
        {
            ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
            ["ScheduleStatus"] = new JsonObject { ["Last"] = "2026-11-27T04:59:00.0000000+00:00", ["Next"] = "2026-11-27T05:00:00.0000000+00:00", ["LastUpdated"] = "2026-11-27T04:59:00.0000000+00:00" },
            ["IsPastDue"] = true,
        };
        var envelope = new JsonObject
        {
            ["Data"] = new JsonObject { ["timer"] = asString ? JsonValue.Create(timer.ToJsonString()) : timer },
            ["Metadata"] = new JsonObject { ["sys"] = new JsonObject { ["MethodName"] = "Reconciler" } },
        };

        using var host = fixture.App.Client();
        using var response = await host.PostAsJsonAsync("Reconciler", envelope);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("past due: True", reply["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_work_item_is_acknowledged_not_retried()
    {
        using var host = fixture.App.Client();
        using var response = await host.PostAsJsonAsync("ConvertSession", new { Data = new { workItem = "not json" }, Metadata = new { DequeueCount = 1 } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("malformed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
