using System.Net;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Endpoints;

/// <summary>Minted API keys, Idempotency-Key on creates, CORS denied by default, security headers.</summary>
public sealed class KeysAndHeadersTests(KeysAndHeadersTests.KeysFixture fixture) : IClassFixture<KeysAndHeadersTests.KeysFixture>
{
    public sealed class KeysFixture(LocalStack stack) : AppFixture(stack)
    {
        protected override void Configure(Dictionary<string, string?> environment) => environment["Auth__KeyCacheDuration"] = "00:00:00";

        public async Task<(int Exit, string Output)> KeysAsync(params string[] args)
        {
            await using var cli = new ChildProcess("dotnet", [RepoPaths.AppDll, "keys", .. args], Environment(), RepoPaths.AppDirectory);
            Assert.True(await cli.WaitForExitAsync(TimeSpan.FromSeconds(60)), "keys command hung");
            return (cli.ExitCode, cli.Output);
        }
    }

    [Fact]
    public async Task A_minted_key_works_at_once_is_listed_by_hash_and_stops_working_when_revoked()
    {
        var (exit, output) = await fixture.KeysAsync("create", "--user", "carol", "--role", "user", "--label", "test");
        Assert.Equal(0, exit);
        var key = output.Split('\n')[0].Trim();
        Assert.StartsWith("emk_", key, StringComparison.Ordinal);

        using var carol = fixture.App.Client(key);
        var (status, list) = await Api.SendAsync(carol, HttpMethod.Get, "api/jobs");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, list["total"]!.GetValue<long>());

        var (_, listed) = await fixture.KeysAsync("list");
        Assert.Contains("carol", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        var hashPrefix = listed.Split('\n').First(l => l.Contains("carol", StringComparison.Ordinal))[..12];

        var (revoked, _) = await fixture.KeysAsync("revoke", hashPrefix);
        Assert.Equal(0, revoked);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(carol, HttpMethod.Get, "api/jobs")).Status);
    }

    [Fact]
    public async Task A_repeated_create_with_the_same_idempotency_key_returns_the_first_response_and_creates_once()
    {
        using var client = fixture.App.Client(fixture.Keys.Bob);
        var marker = "idem" + Guid.NewGuid().ToString("N")[..8];
        var body = $"{{\"url\": \"{fixture.Pages.Url("/idem.html")}\", \"session\": \"{marker}\"}}";

        async Task<(HttpStatusCode, string, bool)> PostAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/event-job/jobs") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", marker);
            using var response = await client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Contains("Idempotent-Replayed"));
        }

        var (firstStatus, first, firstReplayed) = await PostAsync();
        var (secondStatus, second, secondReplayed) = await PostAsync();

        Assert.Equal(HttpStatusCode.Created, firstStatus);
        Assert.Equal(HttpStatusCode.Created, secondStatus);
        Assert.False(firstReplayed);
        Assert.True(secondReplayed);
        Assert.Equal(first, second);
        var (_, found) = await Api.SendAsync(client, HttpMethod.Get, $"api/jobs?q={marker}");
        Assert.Equal(1, found["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task Cross_origin_requests_get_no_cors_grant_and_every_answer_carries_security_headers()
    {
        using var client = fixture.App.Client(fixture.Keys.Alice);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "api/jobs");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var response = await client.SendAsync(preflight);
        using var get = new HttpRequestMessage(HttpMethod.Get, "api/jobs");
        get.Headers.Add("Origin", "https://evil.example");
        using var answer = await client.SendAsync(get);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(answer.Headers.Contains("Content-Security-Policy") || answer.Content.Headers.Contains("Content-Security-Policy"));
    }
}
