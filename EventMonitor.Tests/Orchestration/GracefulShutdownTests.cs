using EventMonitor.Tests.Infrastructure;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Tests.Orchestration;

/// <summary>SIGTERM stops new work at once; a running job finishes within the grace period or is handed back.</summary>
public sealed class GracefulShutdownTests(LocalStack stack)
{
    private async Task<(AppProcess App, TestKeys Keys, Dictionary<string, string?> Env, string Database)> StartAsync(PageServer pages, string grace)
    {
        var keys = new TestKeys();
        var database = "term" + Guid.NewGuid().ToString("N")[..10];
        var env = AppFixture.Isolated(stack, database, keys, pages);
        env["Fetch__Timeout"] = "00:00:30";
        env["TriggerRunner__ShutdownGrace"] = grace;
        env["TriggerRunner__MessageLease"] = "00:00:05";
        env["TriggerRunner__MinPollingInterval"] = "00:00:00.100";
        return (await AppProcess.StartAsync(env), keys, env, database);
    }

    private async Task<string> StatusInCosmosAsync(string database, string jobId)
    {
        using var cosmos = new CosmosClient(stack.CosmosConnectionString, new CosmosClientOptions { ConnectionMode = ConnectionMode.Gateway, LimitToEndpoint = true });
        using var response = await cosmos.GetContainer(database, "state").ReadItemStreamAsync(jobId, new PartitionKey(jobId));
        var job = (await System.Text.Json.Nodes.JsonNode.ParseAsync(response.Content))!;
        return $"{job["status"]} lease={job["lease_until"]}";
    }

    private static async Task<string> StartJobAsync(AppProcess app, TestKeys keys, string url)
    {
        using var client = app.Client(keys.Alice);
        var jobId = await Api.CreateJobAsync(client, new { url });
        for (var i = 0; i < 200; i++)
        {
            if ((await Api.SendAsync(client, HttpMethod.Get, $"api/jobs/{jobId}")).Body["job"]!["status"]!.GetValue<string>() == "processing")
            {
                return jobId;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("the job never started");
    }

    [Fact]
    public async Task Sigterm_lets_a_running_job_finish_within_the_grace_period()
    {
        await using var pages = new PageServer();
        pages.Map("/term/slow.html", async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            await PageServer.WriteAsync(context, 200, "text/html", "<html lang=\"en\"><body><main><h1>Slow</h1><p>Done.</p></main></body></html>");
        });
        var (app, keys, _, database) = await StartAsync(pages, "00:00:20");
        await using (app)
        {
            var jobId = await StartJobAsync(app, keys, pages.Url("/term/slow.html"));

            app.Process.Signal("TERM");

            Assert.True(await app.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the app did not stop after SIGTERM");
            Assert.StartsWith("completed", await StatusInCosmosAsync(database, jobId), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Sigterm_hands_back_a_job_that_cannot_finish_in_time_and_it_runs_again_later()
    {
        await using var pages = new PageServer();
        var hits = 0;
        pages.Map("/term/stuck.html", async context =>
        {
            if (Interlocked.Increment(ref hits) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(20));
            }
            await PageServer.WriteAsync(context, 200, "text/html", "<html lang=\"en\"><body><main><h1>Stuck</h1><p>Freed.</p></main></body></html>");
        });
        var (app, keys, env, database) = await StartAsync(pages, "00:00:01");
        string jobId;
        await using (app)
        {
            jobId = await StartJobAsync(app, keys, pages.Url("/term/stuck.html"));

            app.Process.Signal("TERM");

            Assert.True(await app.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the app did not stop after SIGTERM");
            Assert.Equal("pending lease=", await StatusInCosmosAsync(database, jobId));
        }
        await using var again = await AppProcess.StartAsync(env);
        using var client = again.Client(keys.Alice);
        var job = await Api.WaitTerminalAsync(client, jobId, TimeSpan.FromSeconds(60));
        Assert.Equal("completed", job["status"]!.GetValue<string>());
        Assert.Equal(2, job["attempts"]!.GetValue<int>());
    }
}
