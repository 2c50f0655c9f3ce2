using System.Net.Http.Json;
using Azure.Storage.Queues;
using EventMonitor.Tests.Infrastructure;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Tests.Orchestration;

/// <summary>The reconciler finds work that nothing else would pick up. The test plays the Functions host.</summary>
public sealed class ReconcilerTests(ReconcilerTests.ManualFixture fixture) : IClassFixture<ReconcilerTests.ManualFixture>
{
    public sealed class ManualFixture(LocalStack stack) : AppFixture(stack)
    {
        protected override void Configure(Dictionary<string, string?> environment)
        {
            environment["TriggerRunner__Enabled"] = "false";
            environment["Orchestration__PendingStaleAfter"] = "00:00:01";
            environment["Orchestration__JobLease"] = "00:00:02";
        }

        public QueueClient Queue => new(Stack.StorageConnectionString, "work-" + Database, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

        public async Task<string> InvokeAsync(string function, object data)
        {
            using var host = App.Client();
            using var response = await host.PostAsJsonAsync(function, new { Data = data, Metadata = new { DequeueCount = 1 } });
            Assert.True(response.IsSuccessStatusCode, $"/{function} answered {(int)response.StatusCode}");
            return await response.Content.ReadAsStringAsync();
        }

        /// <summary>Delivers every queued work item to /ConvertSession, as the host would.</summary>
        public async Task<List<string>> DrainAsync()
        {
            var logs = new List<string>();
            foreach (var message in (await Queue.ReceiveMessagesAsync(32)).Value)
            {
                logs.Add(await InvokeAsync("ConvertSession", new { workItem = message.MessageText }));
                await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
            return logs;
        }
    }

    [Fact]
    public async Task A_job_whose_work_item_was_deleted_by_hand_is_re_enqueued_and_completes()
    {
        fixture.Pages.Html("/rec/lost.html", "<html lang=\"en\"><body><main><h1>Lost</h1><p>Found again.</p></main></body></html>");
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var jobId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/rec/lost.html") });
        await fixture.Queue.ClearMessagesAsync();

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var report = await fixture.InvokeAsync("Reconciler", new { timer = new { IsPastDue = false } });
        var delivered = await fixture.DrainAsync();

        Assert.Contains("1 pending jobs re-enqueued", report, StringComparison.Ordinal);
        Assert.True(delivered.Count == 1 && delivered[0].Contains("completed", StringComparison.Ordinal), $"delivered: {string.Join(" | ", delivered)}");
        var job = await Api.WaitTerminalAsync(client, jobId, TimeSpan.FromSeconds(10));
        Assert.Equal("completed", job["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_job_whose_worker_died_is_recovered_after_its_lease_expires()
    {
        fixture.Pages.Html("/rec/died.html", "<html lang=\"en\"><body><main><h1>Died</h1><p>Back.</p></main></body></html>");
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var jobId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/rec/died.html") });
        await fixture.Queue.ClearMessagesAsync();

        // A worker that claimed the job and died: processing, with a lease that ran out.
        using var cosmos = new CosmosClient(fixture.Stack.CosmosConnectionString, new CosmosClientOptions { ConnectionMode = ConnectionMode.Gateway, LimitToEndpoint = true });
        var state = cosmos.GetContainer(fixture.Database, "state");
        var expired = DateTime.UtcNow.AddSeconds(-5).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await state.PatchItemAsync<object>(jobId, new PartitionKey(jobId), [PatchOperation.Set("/status", "processing"), PatchOperation.Set("/lease_until", expired), PatchOperation.Set("/attempts", 1)]);

        var report = await fixture.InvokeAsync("Reconciler", new { timer = new { IsPastDue = false } });
        await fixture.DrainAsync();

        Assert.Contains("1 expired leases recovered", report, StringComparison.Ordinal);
        var job = await Api.WaitTerminalAsync(client, jobId, TimeSpan.FromSeconds(10));
        Assert.Equal("completed", job["status"]!.GetValue<string>());
        Assert.Equal(2, job["attempts"]!.GetValue<int>());
    }
}
