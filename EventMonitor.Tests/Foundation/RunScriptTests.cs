using System.Globalization;
using System.Text.Json.Nodes;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Foundation;

/// <summary>The README's run command, as a person uses it: start, curl a job through, Ctrl-C, nothing left behind.</summary>
public sealed class RunScriptTests
{
    [Fact]
    public async Task Run_sh_serves_a_job_end_to_end_and_sigint_leaves_no_listener_or_process()
    {
        await using var pages = new PageServer();
        pages.Html("/run/talk.html", "<html lang=\"en\"><head><meta property=\"og:site_name\" content=\"RunConf\"></head><body><main><h1>Run script talk</h1><p>Served locally.</p></main></body></html>");
        var port = Ports.Free();
        var env = new Dictionary<string, string?> { ["PORT"] = port.ToString(CultureInfo.InvariantCulture), ["EM_FETCH_ALLOW"] = pages.Origin };
        await using var script = new ChildProcess(Path.Combine(RepoPaths.Root, "run.sh"), [], env);
        var baseUrl = $"http://127.0.0.1:{port}";

        await Wait.UntilAsync(async () =>
        {
            Assert.False(script.HasExited, "run.sh exited before the app answered:\n" + script.Output);
            return (await CurlAsync("-s", "-o", "/dev/null", "-w", "%{http_code}", baseUrl + "/")).Output == "200";
        }, TimeSpan.FromMinutes(3), () => script.Output);

        var created = await CurlAsync("-s", "-X", "POST", baseUrl + "/api/event-job/jobs", "-H", "Content-Type: application/json", "-d", $"{{\"url\": \"{pages.Url("/run/talk.html")}\"}}");
        var jobId = JsonNode.Parse(created.Output)!["data"]!["job_id"]!.GetValue<string>();
        JsonNode? job = null;
        await Wait.UntilAsync(async () =>
        {
            job = JsonNode.Parse((await CurlAsync("-s", $"{baseUrl}/api/jobs/{jobId}")).Output)!["job"];
            return job!["status"]!.GetValue<string>() is "completed" or "failed";
        }, TimeSpan.FromSeconds(60), () => script.Output);
        Assert.Equal("completed", job!["status"]!.GetValue<string>());
        var markdown = await CurlAsync("-s", "-f", $"{baseUrl}/api/event-job/files/{job["results"]!["markdown_file"]!.GetValue<string>()}");
        Assert.Contains("title: Run script talk", markdown.Output, StringComparison.Ordinal);
        var events = JsonNode.Parse((await CurlAsync("-s", $"{baseUrl}/api/jobs/{jobId}/events?after=0")).Output)!["events"]!.AsArray();
        Assert.Equal("completed", events[^1]!["type"]!.GetValue<string>());

        var descendants = Descendants(script.Id);
        var listening = ListeningPorts(descendants.Append(script.Id));
        Assert.Contains(port, listening);
        Assert.True(listening.Count >= 4, $"expected the app and both emulators to listen, saw {string.Join(",", listening)}");

        script.Signal("INT");
        Assert.True(await script.WaitForExitAsync(TimeSpan.FromSeconds(60)), "run.sh did not exit after SIGINT:\n" + script.Output);
        await Task.Delay(500);
        Assert.All(descendants, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} outlived run.sh"));
        Assert.All(listening, p => Assert.False(Ports.IsOpen(p), $"port {p} still listens after run.sh ended"));
    }

    private static List<int> Descendants(int pid)
    {
        var found = new List<int>();
        var stack = new Stack<int>([pid]);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            foreach (var task in Directory.Exists($"/proc/{current}/task") ? Directory.GetDirectories($"/proc/{current}/task") : [])
            {
                var children = File.Exists(Path.Combine(task, "children")) ? File.ReadAllText(Path.Combine(task, "children")) : "";
                foreach (var child in children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
                {
                    found.Add(child);
                    stack.Push(child);
                }
            }
        }
        return found;
    }

    /// <summary>TCP ports in LISTEN state owned by the given processes, read from /proc.</summary>
    private static List<int> ListeningPorts(IEnumerable<int> pids)
    {
        var inodes = new HashSet<string>();
        foreach (var pid in pids)
        {
            var fdDir = $"/proc/{pid}/fd";
            if (!Directory.Exists(fdDir))
            {
                continue;
            }
            foreach (var fd in Directory.GetFiles(fdDir))
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target[8..^1]);
                }
            }
        }
        var ports = new List<int>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadAllLines(table).Skip(1))
            {
                var cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (cols[3] == "0A" && inodes.Contains(cols[9]))
                {
                    ports.Add(int.Parse(cols[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }
            }
        }
        return ports.Distinct().ToList();
    }

    private static async Task<(int Exit, string Output)> CurlAsync(params string[] args)
    {
        await using var curl = new ChildProcess("curl", args);
        Assert.True(await curl.WaitForExitAsync(TimeSpan.FromSeconds(30)), "curl hung");
        return (curl.ExitCode, curl.Output.TrimEnd('\n'));
    }
}
