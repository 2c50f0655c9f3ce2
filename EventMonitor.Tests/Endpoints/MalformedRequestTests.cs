using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using EventMonitor.Tests.Infrastructure;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Tests.Endpoints;

/// <summary>
/// Hundreds of generated bad requests against their own database and blob container: none may answer
/// 5xx, every answer is the error envelope, and nothing stored changes.
/// </summary>
public sealed class MalformedRequestTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string UnknownJob = "job-7f1d0c4e-0000-4000-8000-000000000001";
    private const string UnknownBatch = "batch-7f1d0c4e-0000-4000-8000-000000000002";

    [Fact]
    public async Task Generated_bad_requests_never_answer_5xx_always_use_the_envelope_and_change_nothing()
    {
        fixture.Pages.Html("/bad/page.html", "<html lang=\"en\"><body><main><h1>Bad</h1><p>Input.</p></main></body></html>");
        using var admin = fixture.App.Client(fixture.Keys.Admin);
        var jobId = await Api.CreateJobAsync(admin, new { url = fixture.Pages.Url("/bad/page.html") });
        await Api.WaitTerminalAsync(admin, jobId);
        var batch = await Api.CreateBatchAsync(admin, new { active = false, jobs = new[] { new { url = fixture.Pages.Url("/bad/page.html") } } });
        var batchId = batch["batch_id"]!.GetValue<string>();

        var before = await SnapshotAsync();
        var requests = Generate(jobId, batchId).ToList();
        Assert.True(requests.Count >= 200, $"only {requests.Count} requests generated");

        var problems = new List<string>();
        foreach (var (method, path, body, contentType) in requests)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                // A client that sends a huge body announces it and waits, so the 413 arrives instead of a broken pipe.
                request.Headers.ExpectContinue = body.Length > 1024 * 1024;
            }
            using var response = await admin.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var label = $"{method} {path} [{(body is null ? "no body" : Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 60)))}]";
            if ((int)response.StatusCode >= 500 || (int)response.StatusCode < 400)
            {
                problems.Add($"{label}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");
                continue;
            }
            if (!IsEnvelope(text))
            {
                problems.Add($"{label}: {(int)response.StatusCode} without the error envelope: {text[..Math.Min(text.Length, 200)]}");
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} of {requests.Count} requests misbehaved:\n" + string.Join("\n", problems.Take(40)));
        var after = await SnapshotAsync();
        Assert.Equal(before, after);
    }

    private static bool IsEnvelope(string text)
    {
        try
        {
            var node = JsonNode.Parse(text);
            return node?["status"]?.GetValue<string>() == "error" && node["error"]?["code"]?.GetValue<string>() is { Length: > 0 } && node["error"]?["message"] is not null;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static IEnumerable<(string Method, string Path, byte[]? Body, string ContentType)> Generate(string jobId, string batchId)
    {
        const string json = "application/json";
        static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

        var badBodies = new[]
        {
            "{", "}", "[]", "null", "\"text\"", "42", "{\"url\": 5}", "{\"url\": true}", "{\"url\": [\"http://x/\"]}", "{\"url\": {}}",
            "{\"url\": \"\"}", "{\"url\": \"not a url\"}", "{\"url\": \"ftp://x/y\"}", "{\"url\": \"file:///etc/passwd\"}", "{\"url\": \"javascript:alert(1)\"}",
            "{\"parameters\": []}", "{\"parameters\": \"x\"}", "{\"parameters\": {\"url\": 1}}", "{\"event\": \"only event\"}",
            "{\"url\": \"http://x/\", \"speakers\": 5}", "{\"url\": \"http://x/\", \"speakers\": [1, 2]}", "{\"url\": \"http://x/\", \"use_cache\": \"yes\"}",
            "{\"url\": \"http://x/\", \"filename\": \"../../etc/passwd\"}", "{\"url\": \"http://x/\", \"filename\": \"a/b.md\"}", "{\"url\": \"http://x/\", \"filename\": \".hidden\"}",
            "{\"url\": \"http://x/\", \"job_type\": \"video\"}", "{\"url\": \"http://x/\", \"webhook\": \"gopher://x\"}",
            "{\"url\": \"http://x/\", \"event\": \"" + new string('e', 5000) + "\"}",
            "{\"url\": \"http://x/\ud800\"}", "{\"url\": \"\u202ehttp://x/\"}", "{\"session\": \"\U0001F600\u0000\"}", "{\"url\": \"http://\u0000/\"}",
            new string('[', 5000) + new string(']', 5000), "{\"a\":" + new string('{', 3000) + new string('}', 3001),
            "{\"jobs\": {}}", "{\"jobs\": [1]}", "{\"jobs\": []}", "{\"jobs\": [{\"event\": \"x\"}]}", "{\"jobs\": [{\"url\": \"http://x/\"}, {\"url\": 5}]}",
            "{\"jobs\": [{\"url\": \"http://x/\"}], \"parameters\": 5}", "{\"jobs\": \"all\"}",
        };
        var creates = new[] { "api/event-job/jobs", "api/jobs", "api/event-job/batches" };
        foreach (var path in creates)
        {
            foreach (var body in badBodies)
            {
                // Each bad body fails the create it is aimed at; batch bodies sent to job creates fail for a missing url, and the reverse for missing jobs.
                yield return ("POST", path, B(body), json);
            }
            yield return ("POST", path, B("{\"url\": \"http://x/\"}"), "text/plain");
            yield return ("POST", path, B("url=http://x/"), "application/x-www-form-urlencoded");
            yield return ("POST", path, new byte[11 * 1024 * 1024], json);
            yield return ("POST", path, [0xC0, 0xAE, 0xFF, 0xFE], json);
            yield return ("PUT", path, B("{}"), json);
            yield return ("DELETE", path, null, json);
        }

        var badJobIds = new[] { "job-123", "JOB-7F1D0C4E-0000-4000-8000-000000000001", "job-7f1d0c4e-0000-4000-8000-00000000000g", "batch-7f1d0c4e-0000-4000-8000-000000000002", "x", new string('a', 300), "job-%F0%9F%98%80", "job-..", UnknownJob };
        foreach (var id in badJobIds)
        {
            yield return ("GET", $"api/event-job/jobs/{id}", null, json);
            yield return ("DELETE", $"api/event-job/jobs/{id}", null, json);
            yield return ("POST", $"api/event-job/jobs/{id}/restart", null, json);
            yield return ("POST", $"api/event-job/jobs/{id}/cancel", null, json);
            yield return ("GET", $"api/event-job/jobs/{id}/download-archive", null, json);
            yield return ("GET", $"api/jobs/{id}", null, json);
            yield return ("GET", $"api/jobs/{id}/events", null, json);
            yield return ("POST", $"api/jobs/{id}/cancel", null, json);
        }
        var badBatchIds = new[] { "batch-1", "job-7f1d0c4e-0000-4000-8000-000000000001", "batch-zzzz", new string('b', 300), UnknownBatch };
        foreach (var id in badBatchIds)
        {
            yield return ("GET", $"api/event-job/batches/{id}", null, json);
            yield return ("PUT", $"api/event-job/batches/{id}", B("{\"batch_name\": \"x\"}"), json);
            yield return ("DELETE", $"api/event-job/batches/{id}", null, json);
            yield return ("GET", $"api/event-job/batches/{id}/events", null, json);
            yield return ("POST", $"api/event-job/batches/{id}/archive", null, json);
            yield return ("GET", $"api/event-job/batches/{id}/archive", null, json);
            yield return ("POST", $"api/event-job/batches/{id}/toggle-active", null, json);
            yield return ("POST", $"api/event-job/batches/{id}/restart", B("{}"), json);
            yield return ("POST", $"api/event-job/batches/{id}/cancel", null, json);
            yield return ("POST", "api/event-job/batches/fail-all", B($"{{\"batch_id\": \"{id}\"}}"), json);
        }

        // Valid ids with bad bodies or queries: refused before anything changes.
        foreach (var body in new[] { "{", "[]", "{\"active\": \"no\"}", "{\"archived\": 1}", "{\"batch_name\": 5}", "{\"reset\": \"yes\"}", "{\"archived\": true}" })
        {
            yield return ("PUT", $"api/event-job/batches/{batchId}", B(body), json);
        }
        yield return ("POST", $"api/event-job/batches/{batchId}/restart", B("{\"all\": \"yes\"}"), json);
        yield return ("POST", $"api/event-job/batches/{batchId}/archive", null, json);
        yield return ("POST", $"api/event-job/jobs/{jobId}/restart", B("{"), json);
        yield return ("DELETE", $"api/event-job/batches/{batchId}", B("{"), json);
        yield return ("POST", "api/event-job/batches/fail-all", B("{}"), json);
        yield return ("POST", "api/event-job/batches/fail-all", B("{\"confirm\": \"true\"}"), json);
        yield return ("POST", "api/event-job/batches/fail-all", B("{\"batch_id\": 5}"), json);

        var badQueries = new[]
        {
            "limit=-1", "limit=abc", "limit=501", "limit=1e3", "skip=-5", "skip=x", "sort=password", "sort=_etag", "order=sideways", "status=weird",
            "status=%00", "batch_id=nope", "q=" + new string('q', 300), "archived=maybe", "active=2", "user_id=someone&limit=0",
        };
        foreach (var query in badQueries)
        {
            yield return ("GET", $"api/event-job/jobs?{query}", null, json);
            yield return ("GET", $"api/jobs?{query}", null, json);
            yield return ("GET", $"api/event-job/batches?{query}", null, json);
        }
        foreach (var query in new[] { "after=-1", "after=abc", "limit=0", "limit=1001", "limit=x", "after=99999999999999999999" })
        {
            yield return ("GET", $"api/jobs/{jobId}/events?{query}", null, json);
            yield return ("GET", $"api/event-job/batches/{batchId}/events?{query}", null, json);
        }

        var traversal = new[]
        {
            "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/etc/passwd", "jobs/%2e%2e/x.md", $"jobs/{jobId}/..%5c..%5cx.md",
            "%2Fetc%2Fpasswd", "C:%5Cwindows%5Cwin.ini", $"jobs/{jobId}/%C0%AE%C0%AE/x.md", $"jobs/{jobId}/%252e%252e/x.md", "jobs/x/y.md",
            $"jobs/{UnknownJob}/x.md", $"batches/{UnknownBatch}/x.md", $"jobs/{jobId}/nope.md", "batches", "jobs/" + jobId,
        };
        foreach (var path in traversal)
        {
            yield return ("GET", $"api/event-job/files/{path}", null, json);
        }
        foreach (var path in new[] { "api", "api/", "api/event-job", "api/event-job/nothing", "api/jobs/x/y/z", "api/event-job/jobs/x/y" })
        {
            yield return ("GET", path, null, json);
            yield return ("PATCH", path, B("{}"), json);
        }
    }

    /// <summary>Every document of the app's database and every blob of its container, as one comparable text.</summary>
    private async Task<string> SnapshotAsync()
    {
        var text = new StringBuilder();
        using var cosmos = new CosmosClient(fixture.Stack.CosmosConnectionString, new CosmosClientOptions { ConnectionMode = ConnectionMode.Gateway, LimitToEndpoint = true });
        foreach (var container in new[] { "state", "events" })
        {
            using var iterator = cosmos.GetContainer(fixture.Database, container).GetItemQueryStreamIterator("SELECT * FROM c");
            var documents = new List<string>();
            while (iterator.HasMoreResults)
            {
                using var page = await iterator.ReadNextAsync();
                var node = await JsonNode.ParseAsync(page.Content);
                documents.AddRange(node!["Documents"]!.AsArray().Select(d => d!.ToJsonString()));
            }
            documents.Sort(StringComparer.Ordinal);
            text.Append(container).Append('\n').AppendJoin('\n', documents).Append('\n');
        }
        var blobs = new BlobContainerClient(fixture.Stack.StorageConnectionString, "out-" + fixture.Database);
        await foreach (var blob in blobs.GetBlobsAsync())
        {
            text.Append(blob.Name).Append(' ').Append(Convert.ToHexString(blob.Properties.ContentHash ?? [])).Append(' ').Append(blob.Properties.ETag).Append('\n');
        }
        return text.ToString();
    }
}
