using System.Collections.Concurrent;

namespace EventMonitor.Functions.Conversion.Fetching;

/// <summary>
/// robots.txt per origin (RFC 9309 subset: groups by user agent, Allow/Disallow, longest match wins,
/// <c>*</c> and <c>$</c>), cached for an hour. An unreachable or missing robots.txt allows everything.
/// </summary>
internal sealed class RobotsPolicy(PageFetcher fetcher, FetchOptions options, TimeProvider time)
{
    private const long MaxRobotsBytes = 512 * 1024;
    private readonly ConcurrentDictionary<string, (List<(bool Allow, string Path)> Rules, DateTimeOffset Expires)> _origins = new(StringComparer.OrdinalIgnoreCase);

    public async Task<bool> AllowsAsync(Uri url, CancellationToken cancellationToken)
    {
        var origin = url.GetLeftPart(UriPartial.Authority);
        if (!_origins.TryGetValue(origin, out var entry) || entry.Expires < time.GetUtcNow())
        {
            entry = (await LoadAsync(new Uri(origin + "/robots.txt"), cancellationToken), time.GetUtcNow().AddHours(1));
            _origins[origin] = entry;
        }
        var path = url.PathAndQuery;
        var best = entry.Rules.Where(r => Matches(r.Path, path)).OrderByDescending(r => r.Path.Length).ThenByDescending(r => r.Allow).FirstOrDefault();
        return best.Path is null || best.Allow;
    }

    private async Task<List<(bool, string)>> LoadAsync(Uri robots, CancellationToken cancellationToken)
    {
        try
        {
            var resource = await fetcher.SendAsync(robots, FetchPurpose.Robots, MaxRobotsBytes, options.Timeout, null, cancellationToken);
            return Parse(TextDecoding.Decode(resource.Body, resource.Charset), options.UserAgentProduct);
        }
        catch (ConversionException ex) when (ex.Code is "not_found" or "http_error" or "fetch_failed" or "too_large" or "unsupported_content" or "decompression_limit")
        {
            return [];
        }
    }

    public static List<(bool Allow, string Path)> Parse(string text, string product)
    {
        var groups = new List<(List<string> Agents, List<(bool, string)> Rules)>();
        (List<string> Agents, List<(bool, string)> Rules)? current = null;
        var lastWasAgent = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#', 2)[0].Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            var key = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (key == "user-agent")
            {
                if (current is null || !lastWasAgent)
                {
                    current = ([], []);
                    groups.Add(current.Value);
                }
                current.Value.Agents.Add(value.ToLowerInvariant());
                lastWasAgent = true;
                continue;
            }
            lastWasAgent = false;
            if (current is not null && key is "allow" or "disallow" && value.Length > 0)
            {
                current.Value.Rules.Add((key == "allow", value));
            }
        }
        var mine = groups.Where(g => g.Agents.Any(a => a != "*" && product.Contains(a, StringComparison.OrdinalIgnoreCase))).ToList();
        if (mine.Count == 0)
        {
            mine = groups.Where(g => g.Agents.Contains("*")).ToList();
        }
        return [.. mine.SelectMany(g => g.Rules)];
    }

    private static bool Matches(string pattern, string path)
    {
        var anchored = pattern.EndsWith('$');
        var parts = (anchored ? pattern[..^1] : pattern).Split('*');
        if (!path.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }
        var at = parts[0].Length;
        for (var i = 1; i < parts.Length; i++)
        {
            var found = path.IndexOf(parts[i], at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }
            at = found + parts[i].Length;
        }
        return !anchored || at == path.Length || (parts.Length > 1 && path.EndsWith(parts[^1], StringComparison.Ordinal));
    }
}
