using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Endpoints;

/// <summary>The curl examples in docs/api.md run, in order, with the real curl against the real app.</summary>
public sealed partial class ApiDocExamplesTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Every_curl_example_in_the_api_doc_answers_as_documented()
    {
        var blocks = Examples(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "docs", "api.md")));
        Assert.True(blocks.Count >= 8, $"only {blocks.Count} examples found");

        fixture.Pages.Html("/doc/one.html", "<html lang=\"en\"><body><main><h1>One</h1><p>First.</p></main></body></html>");
        fixture.Pages.Html("/doc/two.html", "<html lang=\"en\"><body><main><h1>Two</h1><p>Second.</p></main></body></html>");
        using var client = fixture.App.Client(fixture.Keys.Alice);
        var jobId = await Api.CreateJobAsync(client, new { url = fixture.Pages.Url("/doc/one.html") });
        var job = await Api.WaitTerminalAsync(client, jobId);
        var (_, batch) = await Api.SendAsync(client, HttpMethod.Post, "api/event-job/batches", new { jobs = new[] { new { url = fixture.Pages.Url("/doc/two.html") } } });
        var batchId = batch["data"]!["batch_id"]!.GetValue<string>();
        await WaitBatchDoneAsync(client, batchId);

        var work = Directory.CreateTempSubdirectory("api-doc-");
        var env = new Dictionary<string, string?>
        {
            ["EM_URL"] = fixture.App.BaseAddress.ToString().TrimEnd('/'),
            ["EM_KEY"] = fixture.Keys.Alice,
            ["EM_JOB_ID"] = jobId,
            ["EM_BATCH_ID"] = batchId,
            ["EM_FILE"] = job["results"]!["markdown_file"]!.GetValue<string>(),
            ["EM_PAGE"] = fixture.Pages.Url("/doc/one.html"),
            ["EM_PAGE2"] = fixture.Pages.Url("/doc/two.html"),
        };
        foreach (var (expectedStatus, kind, script) in blocks)
        {
            // The status goes to stdout after the body (or after nothing, with -o), so the last line is always the status.
            var wrapped = "curl() { command curl -sS -w '\\n%{http_code}\\n' \"$@\"; }\n" + script;
            await using var bash = new ChildProcess("bash", ["-c", wrapped], env, work.FullName);
            Assert.True(await bash.WaitForExitAsync(TimeSpan.FromSeconds(30)), "curl hung: " + script);
            var lines = bash.Output.TrimEnd('\n').Split('\n');
            Assert.True(lines[^1] == expectedStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), $"expected {expectedStatus}, got:\n{bash.Output}\nfor:\n{script}");
            var body = string.Join('\n', lines[..^1]);
            switch (kind)
            {
                case "success":
                    Assert.Equal("success", JsonNode.Parse(body)!["status"]!.GetValue<string>());
                    break;
                case "zip":
                    var zipFile = Directory.GetFiles(work.FullName, "*.zip").OrderByDescending(File.GetLastWriteTimeUtc).First();
                    using (var zip = ZipFile.OpenRead(zipFile))
                    {
                        Assert.Contains(zip.Entries, e => e.FullName.EndsWith(".md", StringComparison.Ordinal));
                    }
                    break;
                case "file":
                    Assert.StartsWith("---\n", await File.ReadAllTextAsync(Path.Combine(work.FullName, "file.md")), StringComparison.Ordinal);
                    break;
                default:
                    Assert.Fail($"unknown expectation '{kind}'");
                    break;
            }
        }
        work.Delete(recursive: true);
    }

    private static async Task WaitBatchDoneAsync(HttpClient client, string batchId)
    {
        for (var i = 0; i < 200; i++)
        {
            var (_, body) = await Api.SendAsync(client, HttpMethod.Get, $"api/event-job/batches/{batchId}");
            if (body["data"]!["status"]!.GetValue<string>() == "completed")
            {
                return;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"batch {batchId} did not complete");
    }

    private static List<(int Status, string Kind, string Script)> Examples(string markdown) =>
        Block().Matches(markdown).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value, m.Groups[3].Value)).ToList();

    [GeneratedRegex("```bash\\n# expect: (\\d{3}) (\\w+)\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Block();
}
