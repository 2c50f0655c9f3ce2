using System.Net;
using System.Text.Json.Nodes;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Endpoints;

/// <summary>Runs authorization.csv row by row: every endpoint × every kind of caller → the status the table says.</summary>
public sealed class AuthorizationTableTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly string[] Callers = ["none", "other", "owner", "admin", "service_as_owner", "user_with_x_user_id"];

    public static IReadOnlyList<Row> Rows() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Endpoints", "authorization.csv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("method,", StringComparison.Ordinal))
            .Select(Row.Parse).ToList();

    [Fact]
    public async Task Every_endpoint_answers_every_kind_of_caller_as_the_table_says()
    {
        fixture.Pages.Html("/authz/page.html", "<html lang=\"en\"><body><main><h1>Authz</h1><p>Page.</p></main></body></html>");
        using var alice = fixture.App.Client(fixture.Keys.Alice);
        var doneJob = await Api.CreateJobAsync(alice, new { url = fixture.Pages.Url("/authz/page.html") });
        var file = (await Api.WaitTerminalAsync(alice, doneJob))["results"]!["markdown_file"]!.GetValue<string>();
        var failures = new List<string>();
        var rows = Rows();
        Assert.True(rows.Count >= 25, $"the table has only {rows.Count} rows");

        foreach (var row in rows)
        {
            foreach (var (caller, expected) in Callers.Zip(row.Expected))
            {
                // Every request gets its own finished job and batch, so one row's change cannot decide another's answer.
                var (job, batch) = await FreshAsync(alice);
                string Fill(string text) => text.Replace("{job}", job, StringComparison.Ordinal).Replace("{done_job}", doneJob, StringComparison.Ordinal)
                    .Replace("{batch}", batch, StringComparison.Ordinal).Replace("{file}", file, StringComparison.Ordinal)
                    .Replace("{page}", fixture.Pages.Url("/authz/page.html"), StringComparison.Ordinal);

                using var client = Client(caller);
                using var request = new HttpRequestMessage(new HttpMethod(row.Method), Fill(row.Path).TrimStart('/'));
                if (row.Body.Length > 0)
                {
                    request.Content = new StringContent(Fill(row.Body), System.Text.Encoding.UTF8, "application/json");
                }
                using var response = await client.SendAsync(request);
                if ((int)response.StatusCode != expected)
                {
                    failures.Add($"{row.Method} {row.Path} as {caller}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private HttpClient Client(string caller)
    {
        var client = caller switch
        {
            "none" => fixture.App.Client(),
            "other" => fixture.App.Client(fixture.Keys.Bob),
            "owner" => fixture.App.Client(fixture.Keys.Alice),
            "admin" => fixture.App.Client(fixture.Keys.Admin),
            "service_as_owner" => fixture.App.Client(fixture.Keys.Service),
            "user_with_x_user_id" => fixture.App.Client(fixture.Keys.Bob),
            _ => throw new ArgumentException(caller),
        };
        if (caller is "service_as_owner" or "user_with_x_user_id")
        {
            client.DefaultRequestHeaders.Add("X-User-ID", "alice");
        }
        return client;
    }

    /// <summary>A paused batch of alice's whose only job is cancelled: both finished at once, no worker involved.</summary>
    private async Task<(string Job, string Batch)> FreshAsync(HttpClient alice)
    {
        var created = await Api.CreateBatchAsync(alice, new { active = false, jobs = new[] { new { url = fixture.Pages.Url("/authz/page.html") } } });
        var batchId = created["batch_id"]!.GetValue<string>();
        var jobId = created["jobs"]![0]!["job_id"]!.GetValue<string>();
        var (status, _) = await Api.SendAsync(alice, HttpMethod.Post, $"api/jobs/{jobId}/cancel");
        Assert.Equal(HttpStatusCode.OK, status);
        return (jobId, batchId);
    }

    public sealed record Row(string Method, string Path, string Body, int[] Expected)
    {
        public static Row Parse(string line)
        {
            var cells = Csv(line);
            return new Row(cells[0], cells[1], cells[2], cells[3..].Select(int.Parse).ToArray());
        }

        private static List<string> Csv(string line)
        {
            var cells = new List<string>();
            var cell = new System.Text.StringBuilder();
            var quoted = false;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c == ',' && !quoted)
                {
                    cells.Add(cell.ToString());
                    cell.Clear();
                }
                else
                {
                    cell.Append(c);
                }
            }
            cells.Add(cell.ToString());
            return cells;
        }
    }
}
