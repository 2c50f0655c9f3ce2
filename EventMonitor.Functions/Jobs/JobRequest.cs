using System.Text.Json;
using EventMonitor.Functions.Hosting;

namespace EventMonitor.Functions.Jobs;

/// <summary>A request to create one session job, read from either body form.</summary>
internal sealed record JobRequest
{
    public const int MaxFieldLength = 4096;
    public const int MaxTranscriptLength = 2_000_000;

    public required string JobName { get; init; }
    public required JobParameters Parameters { get; init; }

    /// <summary>Reads <c>{"parameters": {…}, "job_name": …}</c> or the flat <c>{event, session, url, …}</c>.</summary>
    public static JobRequest Parse(JsonElement body)
    {
        var parameters = body;
        if (body.TryGetProperty("parameters", out var nested) && nested.ValueKind != JsonValueKind.Null)
        {
            if (nested.ValueKind != JsonValueKind.Object)
            {
                throw RequestBody.WrongType("parameters", "an object");
            }
            parameters = nested;
        }

        var jobType = RequestBody.OptionalString(body, "job_type");
        if (jobType is not null && jobType != "session")
        {
            throw ApiException.BadRequest("invalid_field", "'job_type' must be \"session\".", new Dictionary<string, object?> { ["field"] = "job_type" });
        }

        var url = Limit(parameters, "url") ?? throw ApiException.BadRequest("missing_field", "'url' is required: the session page to convert.", new Dictionary<string, object?> { ["field"] = "url" });
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw ApiException.BadRequest("invalid_url", "'url' must be an absolute http or https URL.", new Dictionary<string, object?> { ["field"] = "url" });
        }
        var webhook = Webhook(parameters);

        var p = new JobParameters
        {
            Event = Limit(parameters, "event"),
            Session = Limit(parameters, "session"),
            Url = uri.AbsoluteUri,
            Filename = Filename(Limit(parameters, "filename")),
            Track = Limit(parameters, "track"),
            Day = Limit(parameters, "day"),
            Starttime = Limit(parameters, "starttime"),
            Endtime = Limit(parameters, "endtime"),
            Speakers = RequestBody.OptionalStrings(parameters, "speakers"),
            VideoUrl = Limit(parameters, "video_url"),
            AttachmentsUrl = Limit(parameters, "attachments_url"),
            SubtitlesUrl = Limit(parameters, "subtitles_url"),
            VideoTranscript = Limit(parameters, "video_transcript", MaxTranscriptLength),
            SourceLanguage = Limit(parameters, "source_language"),
            TargetLanguage = Limit(parameters, "target_language"),
            UseCache = RequestBody.OptionalBool(parameters, "use_cache") ?? true,
            Webhook = webhook,
        };
        var name = Limit(body, "job_name") ?? p.Session ?? uri.AbsoluteUri;
        return new JobRequest { JobName = name, Parameters = p };
    }

    /// <summary>The optional <c>webhook</c> of a job or a batch: an absolute http or https URL.</summary>
    public static string? Webhook(JsonElement obj)
    {
        var webhook = Limit(obj, "webhook");
        if (webhook is not null && (!Uri.TryCreate(webhook, UriKind.Absolute, out var hook) || (hook.Scheme != Uri.UriSchemeHttp && hook.Scheme != Uri.UriSchemeHttps)))
        {
            throw ApiException.BadRequest("invalid_url", "'webhook' must be an absolute http or https URL.", new Dictionary<string, object?> { ["field"] = "webhook" });
        }
        return webhook;
    }

    private static string? Limit(JsonElement obj, string name, int max = MaxFieldLength)
    {
        var value = RequestBody.OptionalString(obj, name);
        if (value is not null && value.Length > max)
        {
            throw ApiException.BadRequest("field_too_long", $"'{name}' is longer than {max} characters.", new Dictionary<string, object?> { ["field"] = name });
        }
        return value;
    }

    /// <summary>A file name is a name, never a path.</summary>
    private static string? Filename(string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (value.IndexOfAny(['/', '\\', '\0']) >= 0 || value is "." or ".." || value.StartsWith('.'))
        {
            throw ApiException.BadRequest("invalid_field", "'filename' must be a plain file name without folders.", new Dictionary<string, object?> { ["field"] = "filename" });
        }
        return value;
    }
}
