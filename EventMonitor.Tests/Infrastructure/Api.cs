using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EventMonitor.Tests.Infrastructure;

/// <summary>Small helpers for talking to the API and waiting for jobs.</summary>
public static class Api
{
    public static async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = body is string text ? new StringContent(text, System.Text.Encoding.UTF8, "application/json") : JsonContent.Create(body);
        }
        using var response = await client.SendAsync(request, cancellationToken);
        var raw = await response.Content.ReadAsStringAsync(cancellationToken);
        var node = raw.Length == 0 ? new JsonObject() : JsonNode.Parse(raw) as JsonObject ?? throw new InvalidOperationException($"Not a JSON object: {raw}");
        return (response.StatusCode, node);
    }

    public static async Task<string> CreateJobAsync(HttpClient client, object body)
    {
        var (status, json) = await SendAsync(client, HttpMethod.Post, "api/event-job/jobs", body);
        Assert.True(status == HttpStatusCode.Created, $"create answered {(int)status}: {json.ToJsonString()}");
        return json["data"]!["job_id"]!.GetValue<string>();
    }

    /// <summary>Polls <c>GET /api/jobs/{id}</c> until the job is terminal.</summary>
    public static async Task<JsonObject> WaitTerminalAsync(HttpClient client, string jobId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        JsonObject? job = null;
        while (DateTime.UtcNow < deadline)
        {
            var (status, json) = await SendAsync(client, HttpMethod.Get, $"api/jobs/{jobId}");
            Assert.Equal(HttpStatusCode.OK, status);
            job = json["job"]!.AsObject();
            if (job["status"]!.GetValue<string>() is "completed" or "failed" or "cancelled")
            {
                return job;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Job {jobId} is not terminal: {job?.ToJsonString()}");
    }

    /// <summary>Creates a batch and waits until its fan-out has created every job; returns the batch with its jobs.</summary>
    public static async Task<JsonObject> CreateBatchAsync(HttpClient client, object body)
    {
        var (status, json) = await SendAsync(client, HttpMethod.Post, "api/event-job/batches", body);
        Assert.True(status == HttpStatusCode.Created, $"create answered {(int)status}: {json.ToJsonString()}");
        var batchId = json["data"]!["batch_id"]!.GetValue<string>();
        for (var i = 0; i < 300; i++)
        {
            var (_, details) = await SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}?limit=500");
            var data = details["data"]!.AsObject();
            // The page and its total are two queries: wait until both show every job, and until the
            // fan-out has logged its end (its last write to the batch is before that event).
            if (data["jobs_total"]!.GetValue<long>() == data["job_count"]!.GetValue<int>() && data["jobs"]!.AsArray().Count == data["job_count"]!.GetValue<int>()
                && (await SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}/events")).Body["events"]!.AsArray().Any(e => e!["payload"]?["job_count"] is not null && e["type"]!.GetValue<string>() == "progress"))
            {
                return (await SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}?limit=500")).Body["data"]!.AsObject();
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The fan-out of {batchId} did not finish.");
    }

    public static async Task<JsonArray> EventsAsync(HttpClient client, string jobId, long after = 0)
    {
        var (status, json) = await SendAsync(client, HttpMethod.Get, $"api/jobs/{jobId}/events?after={after}");
        Assert.Equal(HttpStatusCode.OK, status);
        return json["events"]!.AsArray();
    }
}
