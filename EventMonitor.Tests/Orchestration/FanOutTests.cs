using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Orchestration;

/// <summary>A whole conference in one request: accepted at once, fanned out by a work item, idempotently.</summary>
public sealed class FanOutTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task All_1093_fosdem_sessions_are_accepted_in_one_request_and_fanned_out_exactly_once()
    {
        var sessions = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "fosdem-2025-sessions.json")))!.AsArray();
        Assert.Equal(1093, sessions.Count);
        using var client = fixture.App.Client(fixture.Keys.Alice);

        // Paused, so nothing is fetched: this is about accepting and fanning out.
        var (status, created) = await Api.SendAsync(client, HttpMethod.Post, "api/event-job/batches", new JsonObject { ["batch_name"] = "FOSDEM 2025", ["active"] = false, ["jobs"] = sessions.DeepClone() });
        Assert.Equal(HttpStatusCode.Created, status);
        var batchId = created["data"]!["batch_id"]!.GetValue<string>();
        Assert.Equal(1093, created["data"]!["job_count"]!.GetValue<int>());
        var (_, right) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}");
        Assert.Equal(1093, right["data"]!["job_count"]!.GetValue<int>());
        Assert.Equal(1093, right["data"]!["pending_count"]!.GetValue<int>());

        var batch = await WaitAllJobsAsync(client, batchId);
        var files = batch["jobs"]!.AsArray().Select(j => j!["parameters"]!["filename"]!.GetValue<string>()).ToList();
        Assert.Equal(1093, files.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("paused", batch["status"]!.GetValue<string>());

        // A second delivery of the same fan-out work item (at-least-once) creates nothing new.
        using var host = fixture.App.Client();
        using var again = await host.PostAsJsonAsync("ConvertSession", new JsonObject
        {
            ["Data"] = new JsonObject { ["workItem"] = $"{{\"kind\": \"fanout\", \"batch_id\": \"{batchId}\", \"pk\": \"{batchId}\"}}" },
            ["Metadata"] = new JsonObject { ["DequeueCount"] = 2 },
        });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var (_, after) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/jobs?batch_id={batchId}&limit=1");
        Assert.Equal(1093, after["data"]!["total"]!.GetValue<long>());
    }

    private static async Task<JsonObject> WaitAllJobsAsync(HttpClient client, string batchId)
    {
        for (var i = 0; i < 600; i++)
        {
            var (_, body) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}?limit=500");
            if (body["data"]!["jobs_total"]!.GetValue<long>() == 1093)
            {
                var (_, all) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/jobs?batch_id={batchId}&limit=500&sort=job_name&order=asc");
                var (_, rest1) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/jobs?batch_id={batchId}&limit=500&skip=500&sort=job_name&order=asc");
                var (_, rest2) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/jobs?batch_id={batchId}&limit=500&skip=1000&sort=job_name&order=asc");
                var jobs = new JsonArray();
                foreach (var page in new[] { all, rest1, rest2 })
                {
                    foreach (var job in page["data"]!["jobs"]!.AsArray())
                    {
                        jobs.Add(job!.DeepClone());
                    }
                }
                var data = body["data"]!.AsObject();
                data["jobs"] = jobs;
                return data;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"The fan-out of {batchId} did not finish.");
    }
}
