using System.Net;
using System.Text.Json.Nodes;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Foundation;

/// <summary>The live OpenAPI document, the committed docs/openapi.json and the routes that answer agree.</summary>
public sealed class OpenApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly string Committed = Path.Combine(RepoPaths.Root, "docs", "openapi.json");

    private async Task<JsonObject> LiveAsync()
    {
        using var anonymous = fixture.App.Client();
        using var response = await anonymous.GetAsync("api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task The_live_document_equals_the_committed_one()
    {
        var live = await LiveAsync();
        if (Environment.GetEnvironmentVariable("EM_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(Committed, live.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        }
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Committed))!;

        Assert.True(JsonNode.DeepEquals(committed, live), "docs/openapi.json is out of date: run EM_UPDATE_OPENAPI=1 ./test.sh -class EventMonitor.Tests.Foundation.OpenApiTests");
    }

    [Fact]
    public async Task Every_documented_operation_is_routed_and_documents_its_errors()
    {
        var live = await LiveAsync();
        using var client = fixture.App.Client(fixture.Keys.Admin);
        var operations = 0;
        foreach (var (path, item) in live["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                operations++;
                var url = path.Replace("{jobId}", "job-00000000-0000-0000-0000-000000000000", StringComparison.Ordinal)
                    .Replace("{batchId}", "batch-00000000-0000-0000-0000-000000000000", StringComparison.Ordinal)
                    .Replace("{path}", "jobs/job-00000000-0000-0000-0000-000000000000/x.md", StringComparison.Ordinal)
                    .TrimStart('/');
                var (status, body) = await Api.SendAsync(client, new HttpMethod(method.ToUpperInvariant()), url, method is "post" or "put" ? new { } : null);

                Assert.NotEqual(HttpStatusCode.MethodNotAllowed, status);
                Assert.False(body["error"]?["message"]?.GetValue<string>() == "No such resource.", $"{method} {path} is documented but not routed");
                Assert.True((int)status < 500, $"{method} {path} answered {(int)status}");
                var responses = operation!["responses"]!.AsObject();
                Assert.True(responses.ContainsKey(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)), $"{method} {path} answered {(int)status}, which its documentation does not list");
                // Health is public (readiness needs no key); everything else documents its 401.
                Assert.True(path.StartsWith("/api/health", StringComparison.Ordinal) || responses.ContainsKey("401"), $"{method} {path} does not document 401");
            }
        }
        Assert.True(operations >= 25, $"only {operations} operations documented");
    }
}
