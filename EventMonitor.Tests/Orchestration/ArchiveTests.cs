using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Orchestration;

/// <summary>ArchiveBatches, invoked as the Functions host would with its own clock in the envelope.</summary>
public sealed class ArchiveTests(AppFixture fixture) : IClassFixture<AppFixture>
{
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
}
