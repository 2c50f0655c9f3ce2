using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Orchestration;

/// <summary>ArchiveBatches, invoked as the Functions host would with its own clock in the envelope.</summary>
public sealed class ArchiveTests(ArchiveTests.ArchiveFixture fixture) : IClassFixture<ArchiveTests.ArchiveFixture>
{
    public sealed class ArchiveFixture(LocalStack stack) : AppFixture(stack)
    {
        protected override void Configure(Dictionary<string, string?> environment) => environment["Archiving__PurgeAfter"] = "90.00:00:00";
    }

    private async Task<string> InvokeAsync(DateTimeOffset utcNow)
    {
        using var host = fixture.App.Client();
        using var response = await host.PostAsJsonAsync("ArchiveBatches", new JsonObject
        {
            ["Data"] = new JsonObject { ["timer"] = new JsonObject { ["IsPastDue"] = false } },
            ["Metadata"] = new JsonObject { ["sys"] = new JsonObject { ["MethodName"] = "ArchiveBatches", ["UtcNow"] = utcNow.ToString("O") } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["Logs"]![0]!.GetValue<string>();
    }

    [Fact]
    public async Task A_batch_finished_longer_ago_than_the_setting_is_archived_with_a_zip_snapshot_of_its_files()
    {
        fixture.Pages.Html("/arch/a.html", "<html lang=\"en\"><body><main><h1>Archive A</h1><p>Kept.</p></main></body></html>");
        fixture.Pages.Html("/arch/b.html", "<html lang=\"en\"><body><main><h1>Archive B</h1><p>Kept too.</p></main></body></html>");
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var batch = await Api.CreateBatchAsync(client, new { batch_name = "To archive", parameters = new { day = "Sunday", track = "Old" }, jobs = new[] { new { url = fixture.Pages.Url("/arch/a.html") }, new { url = fixture.Pages.Url("/arch/b.html") } } });
        var batchId = batch["batch_id"]!.GetValue<string>();
        for (var i = 0; i < 300 && (await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}")).Body["data"]!["status"]!.GetValue<string>() != "completed"; i++)
        {
            await Task.Delay(100);
        }

        var early = await InvokeAsync(DateTimeOffset.UtcNow.AddDays(1));
        Assert.False((await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}")).Body["data"]!["archived"]!.GetValue<bool>(), early);

        var report = await InvokeAsync(DateTimeOffset.UtcNow.AddDays(31));
        var (_, after) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}?limit=10");
        Assert.True(after["data"]!["archived"]!.GetValue<bool>(), report);
        var events = (await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}/events")).Body["events"]!.AsArray();
        Assert.Single(events, e => e!["type"]!.GetValue<string>() == "archived");

        var snapshot = new BlobClient(fixture.Stack.StorageConnectionString, "archives", $"{batchId}.zip");
        using var zip = new ZipArchive(new MemoryStream((await snapshot.DownloadContentAsync()).Value.Content.ToArray()));
        foreach (var job in after["data"]!["jobs"]!.AsArray())
        {
            var path = job!["results"]!["markdown_file"]!.GetValue<string>();
            using var entry = new StreamReader(zip.GetEntry(path[$"batches/{batchId}/".Length..])!.Open());
            using var file = await client.GetAsync($"api/event-job/files/{path}");
            Assert.Equal(await file.Content.ReadAsStringAsync(), await entry.ReadToEndAsync());
        }
        Assert.NotNull(zip.GetEntry("index.md"));
        Assert.NotNull(zip.GetEntry("manifest.json"));

        var again = await InvokeAsync(DateTimeOffset.UtcNow.AddDays(32));
        Assert.StartsWith("ArchiveBatches (past due: False): 0 batches archived", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archived_batch_is_purged_after_the_retention_period_and_keeps_its_counts_log_and_snapshot()
    {
        fixture.Pages.Html("/purge/a.html", "<html lang=\"en\"><body><main><h1>Purge A</h1><p>Gone later.</p></main></body></html>");
        fixture.Pages.Html("/purge/b.html", "<html lang=\"en\"><body><main><h1>Purge B</h1><p>Gone too.</p></main></body></html>");
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var created = await Api.CreateBatchAsync(client, new { batch_name = "To purge", jobs = new[] { new { url = fixture.Pages.Url("/purge/a.html") }, new { url = fixture.Pages.Url("/purge/b.html") } } });
        var batchId = created["batch_id"]!.GetValue<string>();
        var jobIds = created["jobs"]!.AsArray().Select(j => j!["job_id"]!.GetValue<string>()).ToList();
        foreach (var jobId in jobIds)
        {
            Assert.Equal("completed", (await Api.WaitTerminalAsync(client, jobId))["status"]!.GetValue<string>());
        }
        var before = await WaitBatchAsync(client, batchId, b => b["status"]!.GetValue<string>() == "completed");
        var files = before["jobs"]!.AsArray().Select(j => j!["results"]!["markdown_file"]!.GetValue<string>()).ToList();
        var start = DateTimeOffset.UtcNow;
        await InvokeAsync(start.AddDays(31));
        Assert.True((await GetBatchAsync(client, batchId))["archived"]!.GetValue<bool>());

        // Archived 31 days on; 89 days after that the retention period (90 days) has not passed yet.
        await InvokeAsync(start.AddDays(31 + 89));
        Assert.Null((await GetBatchAsync(client, batchId))["purged_at"]);

        var report = await InvokeAsync(start.AddDays(31 + 91));
        Assert.Contains("batches purged", report, StringComparison.Ordinal);
        var purged = await GetBatchAsync(client, batchId);
        Assert.NotNull(purged["purged_at"]);
        Assert.True(purged["archived"]!.GetValue<bool>());
        Assert.Equal("completed", purged["status"]!.GetValue<string>());
        Assert.Equal(2, purged["job_count"]!.GetValue<int>());
        Assert.Equal(2, purged["completed_count"]!.GetValue<int>());
        Assert.Equal(0, purged["jobs_total"]!.GetValue<long>());
        foreach (var jobId in jobIds)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(client, HttpMethod.Get, $"api/jobs/{jobId}")).Status);
        }
        foreach (var file in files)
        {
            using var response = await client.GetAsync($"api/event-job/files/{file}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        var outputs = new BlobContainerClient(fixture.Stack.StorageConnectionString, "out-" + fixture.Database);
        Assert.Empty(await outputs.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"batches/{batchId}/", CancellationToken.None).ToListAsync());
        var snapshot = new BlobClient(fixture.Stack.StorageConnectionString, "archives", $"{batchId}.zip");
        using (var zip = new ZipArchive(new MemoryStream((await snapshot.DownloadContentAsync()).Value.Content.ToArray())))
        {
            Assert.Equal(2, zip.Entries.Count(e => e.FullName.EndsWith(".md", StringComparison.Ordinal) && e.FullName != "index.md"));
        }
        // The batch's download is now its snapshot, byte for byte.
        using (var download = await client.GetAsync($"api/event-job/batches/{batchId}/archive"))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal((await snapshot.DownloadContentAsync()).Value.Content.ToArray(), await download.Content.ReadAsByteArrayAsync());
        }
        var purgedEvent = Assert.Single(await BatchEventsAsync(client, batchId), e => e!["type"]!.GetValue<string>() == "purged");
        Assert.Equal($"archives/{batchId}.zip", purgedEvent!["payload"]!["snapshot"]!.GetValue<string>());

        // A second run finds nothing left to do.
        await InvokeAsync(start.AddDays(31 + 92));
        Assert.Equal(purged["purged_at"]!.GetValue<string>(), (await GetBatchAsync(client, batchId))["purged_at"]!.GetValue<string>());
        Assert.Single(await BatchEventsAsync(client, batchId), e => e!["type"]!.GetValue<string>() == "purged");

        // Nothing brings the deleted jobs back.
        foreach (var (method, path, body) in new (HttpMethod, string, object)[]
        {
            (HttpMethod.Put, $"api/event-job/batches/{batchId}", new { archived = false }),
            (HttpMethod.Put, $"api/event-job/batches/{batchId}", new { reset = true }),
            (HttpMethod.Post, $"api/event-job/batches/{batchId}/restart", new { all = true }),
        })
        {
            var (status, refused) = await Api.SendAsync(client, method, path, body);
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.Equal("purged", refused["error"]!["code"]!.GetValue<string>());
        }
        Assert.True((await GetBatchAsync(client, batchId))["archived"]!.GetValue<bool>());
    }

    private static async Task<JsonObject> GetBatchAsync(HttpClient client, string batchId)
    {
        var (status, body) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}?limit=10");
        Assert.Equal(HttpStatusCode.OK, status);
        return body["data"]!.AsObject();
    }

    private static async Task<JsonObject> WaitBatchAsync(HttpClient client, string batchId, Func<JsonObject, bool> done)
    {
        for (var i = 0; i < 300; i++)
        {
            var batch = await GetBatchAsync(client, batchId);
            if (done(batch))
            {
                return batch;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Batch {batchId} did not get there.");
    }

    private static async Task<JsonArray> BatchEventsAsync(HttpClient client, string batchId) =>
        (await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}/events")).Body["events"]!.AsArray();
}
