using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EventMonitor.Tests.Infrastructure;

/// <summary>
/// Every endpoint × documented status must be produced by some test. Every request a test
/// sends through <see cref="AppProcess.Client"/> is recorded here; after the whole run,
/// <see cref="LocalStack"/> compares what was seen with every operation × status in docs/openapi.json.
/// </summary>
public static class EndpointCoverage
{
    /// <summary>Set by test.sh for an unfiltered run; a filtered run cannot be expected to cover everything.</summary>
    public static bool FullRun => System.Environment.GetEnvironmentVariable("EM_FULL_RUN") == "1";

    // Statuses the documents declare that a test cannot honestly produce, each with its reason.
    private static readonly Dictionary<string, string> Excluded = new(StringComparer.Ordinal)
    {
        // Needs a dead emulator under a live app; the readiness probe's 503 path is one line.
        ["GET /api/health/ready 503"] = "needs a dead emulator",
    };

    private static readonly ConcurrentDictionary<string, byte> Seen = new(StringComparer.Ordinal);

    public static void Record(HttpMethod method, Uri uri, int status) => Seen.TryAdd($"{method.Method} {uri.AbsolutePath} {status}", 0);

    /// <summary>Every documented operation × status that no recorded request produced, excluding <see cref="Excluded"/>.</summary>
    public static List<string> Missing()
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "openapi.json")))!;
        var operations = new List<(string Method, string Template, Regex Pattern, string[] Statuses)>();
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation?["responses"] is JsonObject responses)
                {
                    operations.Add((method.ToUpperInvariant(), template, Pattern(template), [.. responses.Select(r => r.Key)]));
                }
            }
        }
        // A literal segment wins over a parameter (batches/fail-all is not batches/{batchId}).
        operations.Sort((a, b) => a.Template.Count(c => c == '{').CompareTo(b.Template.Count(c => c == '{')));
        var produced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var seen in Seen.Keys)
        {
            var parts = seen.Split(' ');
            var match = operations.FirstOrDefault(o => o.Method == parts[0] && o.Pattern.IsMatch(parts[1]));
            if (match.Template is not null)
            {
                produced.Add($"{match.Method} {match.Template} {parts[2]}");
            }
        }
        return [.. operations
            .SelectMany(o => o.Statuses.Select(s => $"{o.Method} {o.Template} {s}"))
            .Where(pair => !produced.Contains(pair) && !Excluded.ContainsKey(pair))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Throws with the list of missing pairs; called once after every test has run.</summary>
    public static void AssertComplete()
    {
        var missing = Missing();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"{missing.Count} documented endpoint × status pairs are produced by no test:{System.Environment.NewLine}  " + string.Join(System.Environment.NewLine + "  ", missing));
        }
    }

    // {path} in files/{path} spans segments; every other parameter is one segment.
    private static Regex Pattern(string template) =>
        new("^" + Regex.Replace(Regex.Escape(template), @"\\\{(\w+)}", m => m.Groups[1].Value == "path" ? ".+" : "[^/]+") + "$", RegexOptions.CultureInvariant);

    /// <summary>Records the method, path and status of every response a test's client receives.</summary>
    public sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Record(request.Method, request.RequestUri!, (int)response.StatusCode);
            return response;
        }
    }
}
