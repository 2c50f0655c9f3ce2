using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Orchestration;

/// <summary>Several sites on their own loopback addresses: each is fetched at most N at a time, all together more.</summary>
public sealed class PolitenessTests(PolitenessTests.PoliteFixture fixture) : IClassFixture<PolitenessTests.PoliteFixture>
{
    public sealed class PoliteFixture(LocalStack stack) : AppFixture(stack)
    {
        public List<PageServer> Sites { get; } = new[] { "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5" }.Select(h => new PageServer(h)).ToList();

        public override async ValueTask DisposeAsync()
        {
            foreach (var site in Sites)
            {
                await site.DisposeAsync();
            }
            await base.DisposeAsync();
        }

        protected override void Configure(Dictionary<string, string?> environment)
        {
            environment["Orchestration__MaxConcurrentPerSite"] = "2";
            for (var i = 0; i < Sites.Count; i++)
            {
                environment[$"Fetch__AllowedOrigins__{i + 1}"] = Sites[i].Origin;
            }
        }
    }

    [Fact]
    public async Task Each_site_reaches_exactly_the_per_site_limit_while_all_sites_together_exceed_it()
    {
        var perSite = new int[fixture.Sites.Count];
        var maxPerSite = new int[fixture.Sites.Count];
        var total = 0;
        var maxTotal = 0;
        var gate = new object();
        var urls = new List<string>();
        for (var s = 0; s < fixture.Sites.Count; s++)
        {
            var site = s;
            for (var p = 0; p < 5; p++)
            {
                var path = $"/polite/{p}.html";
                fixture.Sites[site].Map(path, async context =>
                {
                    lock (gate)
                    {
                        perSite[site]++;
                        total++;
                        maxPerSite[site] = Math.Max(maxPerSite[site], perSite[site]);
                        maxTotal = Math.Max(maxTotal, total);
                    }
                    await Task.Delay(600);
                    lock (gate)
                    {
                        perSite[site]--;
                        total--;
                    }
                    await PageServer.WriteAsync(context, 200, "text/html", $"<html lang=\"en\"><body><main><h1>Site {site} page {path}</h1><p>Polite.</p></main></body></html>");
                });
                urls.Add(fixture.Sites[site].Url(path));
            }
        }
        using var client = fixture.App.Client(fixture.Keys.Alice);

        var batch = await Api.CreateBatchAsync(client, new { jobs = urls.Select(u => new { url = u, session = u }).ToArray() });
        var batchId = batch["batch_id"]!.GetValue<string>();
        for (var i = 0; i < 600 && (await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}")).Body["data"]!["status"]!.GetValue<string>() != "completed"; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal("completed", (await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}")).Body["data"]!["status"]!.GetValue<string>());
        Assert.All(maxPerSite, max => Assert.Equal(2, max));
        Assert.True(maxTotal > 2, $"total concurrency peaked at {maxTotal}");
    }
}
