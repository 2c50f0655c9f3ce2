using System.Text.Json;
using EventMonitor.Functions.Conversion;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;

namespace EventMonitor.Functions.Batches;

/// <summary>
/// A request to create a batch: <c>{"batch_name", "parameters": {defaults}, "jobs": [job, …], "active", "webhook"}</c>,
/// each job in either body form; a job's own values win over the batch defaults. The top-level
/// <c>webhook</c> is the batch's own, called when the batch finishes.
/// </summary>
internal sealed record BatchRequest
{
    public required string BatchName { get; init; }
    public required IReadOnlyList<JobRequest> Jobs { get; init; }
    public bool Active { get; init; } = true;
    public string? Event { get; init; }
    public string? Webhook { get; init; }

    public static BatchRequest Parse(JsonElement body, int maxJobs)
    {
        if (!body.TryGetProperty("jobs", out var jobs) || jobs.ValueKind != JsonValueKind.Array)
        {
            throw ApiException.BadRequest("missing_field", "'jobs' is required: a list of session jobs.", new Dictionary<string, object?> { ["field"] = "jobs" });
        }
        var count = jobs.GetArrayLength();
        if (count == 0)
        {
            throw ApiException.BadRequest("invalid_field", "'jobs' must not be empty.", new Dictionary<string, object?> { ["field"] = "jobs" });
        }
        if (count > maxJobs)
        {
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, "too_many_jobs", $"A batch holds at most {maxJobs} jobs; this one has {count}.", new Dictionary<string, object?> { ["limit"] = maxJobs });
        }
        var defaults = body.TryGetProperty("parameters", out var d) && d.ValueKind == JsonValueKind.Object ? d : RequestBody.EmptyObject();
        if (body.TryGetProperty("parameters", out var p) && p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            throw RequestBody.WrongType("parameters", "an object");
        }
        var parsed = new List<JobRequest>(count);
        var index = 0;
        foreach (var item in jobs.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.BadRequest("invalid_field", $"jobs[{index}] must be an object.", new Dictionary<string, object?> { ["field"] = $"jobs[{index}]" });
            }
            try
            {
                parsed.Add(JobRequest.Parse(Merge(defaults, item)));
            }
            catch (ApiException ex)
            {
                var details = new Dictionary<string, object?>(ex.Details) { ["index"] = index };
                throw new ApiException(ex.Status, ex.Code, $"jobs[{index}]: {ex.Message}", details);
            }
            index++;
        }
        var eventName = RequestBody.OptionalString(defaults, "event") ?? parsed.Select(j => j.Parameters.Event).FirstOrDefault(e => e is not null);
        var name = RequestBody.OptionalString(body, "batch_name") ?? eventName ?? "Batch";
        if (name.Length > JobRequest.MaxFieldLength)
        {
            throw ApiException.BadRequest("field_too_long", "'batch_name' is too long.", new Dictionary<string, object?> { ["field"] = "batch_name" });
        }
        return new BatchRequest { BatchName = name, Jobs = AssignFilenames(parsed), Active = RequestBody.OptionalBool(body, "active") ?? true, Event = eventName, Webhook = JobRequest.Webhook(body) };
    }

    /// <summary>Flat job fields over the batch defaults; a nested "parameters" object over both.</summary>
    private static JsonElement Merge(JsonElement defaults, JsonElement item)
    {
        var merged = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in defaults.EnumerateObject())
        {
            merged[property.Name] = property.Value;
        }
        var nested = item.TryGetProperty("parameters", out var n) && n.ValueKind == JsonValueKind.Object ? n : (JsonElement?)null;
        foreach (var property in item.EnumerateObject().Where(x => x.Name != "parameters"))
        {
            merged[property.Name] = property.Value;
        }
        if (nested is { } inner)
        {
            foreach (var property in inner.EnumerateObject())
            {
                merged[property.Name] = property.Value;
            }
        }
        return JsonSerializer.SerializeToElement(merged);
    }

    /// <summary>Equal file names within a batch get -2, -3, … in input order, so no job overwrites another's file.</summary>
    private static List<JobRequest> AssignFilenames(List<JobRequest> jobs)
    {
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<JobRequest>(jobs.Count);
        foreach (var job in jobs)
        {
            var p = job.Parameters;
            var baseName = p.Filename is { } given ? (given.EndsWith(".md", StringComparison.Ordinal) ? given[..^3] : given) : Slug.From(p.Session ?? LastSegment(p.Url), "session");
            var key = string.Join('/', p.Event ?? "", p.Track ?? "", baseName);
            used[key] = used.TryGetValue(key, out var n) ? n + 1 : 1;
            var name = used[key] == 1 ? baseName : $"{baseName}-{used[key]}";
            result.Add(job with { Parameters = p with { Filename = name + ".md" } });
        }
        return result;
    }

    private static string? LastSegment(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Segments.LastOrDefault(s => s.Trim('/').Length > 0) is { } last ? Path.GetFileNameWithoutExtension(last.Trim('/')) : null;
}
