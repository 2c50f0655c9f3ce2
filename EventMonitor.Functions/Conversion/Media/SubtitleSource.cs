using System.Text.Json;
using EventMonitor.Functions.Conversion.Extraction;
using EventMonitor.Functions.Conversion.Fetching;

namespace EventMonitor.Functions.Conversion.Media;

/// <summary>
/// Finds and loads the transcript: a given <c>video_transcript</c> wins; otherwise the first subtitle
/// track (a VTT/SRT file, or a media.ccc.de-style event JSON listing recordings) in the session's language.
/// Thumbnail tracks (<c>*.thumbnails.vtt</c>) are not subtitles.
/// </summary>
internal sealed class SubtitleSource(PageFetcher fetcher)
{
    public async Task<string?> LoadAsync(SessionRecord record, string? givenTranscript, bool useCache, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(givenTranscript))
        {
            return Transcript.FromText(givenTranscript);
        }
        foreach (var track in record.Subtitles.Where(s => !IsThumbnails(s.Url)).Take(3))
        {
            if (!Uri.TryCreate(track.Url, UriKind.Absolute, out var url))
            {
                continue;
            }
            var resource = await fetcher.FetchAsync(url, FetchPurpose.Subtitles, useCache, cancellationToken);
            var text = TextDecoding.Decode(resource.Body, resource.Charset ?? "utf-8");
            if (resource.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true || text.TrimStart().StartsWith('{'))
            {
                if (FromApi(text, record.Language) is { } listed && Uri.TryCreate(listed, UriKind.Absolute, out var listedUrl))
                {
                    var file = await fetcher.FetchAsync(listedUrl, FetchPurpose.Subtitles, useCache, cancellationToken);
                    text = TextDecoding.Decode(file.Body, file.Charset ?? "utf-8");
                }
                else
                {
                    continue;
                }
            }
            if (Transcript.LooksLikeSubtitles(text) && Transcript.FromSubtitles(text) is { } transcript)
            {
                return transcript;
            }
        }
        return null;
    }

    public static bool IsThumbnails(string url) => url.Contains("thumbnails", StringComparison.OrdinalIgnoreCase) || url.Contains("sprites", StringComparison.OrdinalIgnoreCase);

    /// <summary>A media.ccc.de <c>/public/events/&lt;guid&gt;</c> answer: recordings with <c>text/vtt</c> or <c>application/x-subrip</c>.</summary>
    public static string? FromApi(string json, string? language)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            if (!document.RootElement.TryGetProperty("recordings", out var recordings) || recordings.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            var subtitles = recordings.EnumerateArray()
                .Where(r => r.TryGetProperty("mime_type", out var m) && m.GetString() is "text/vtt" or "application/x-subrip")
                .Select(r => (Url: r.TryGetProperty("recording_url", out var u) ? u.GetString() : null, Language: r.TryGetProperty("language", out var l) ? l.GetString() : null))
                .Where(r => r.Url is not null && !IsThumbnails(r.Url))
                .ToList();
            var wanted = language?.ToLowerInvariant();
            return subtitles.FirstOrDefault(s => wanted is not null && s.Language is { } l && (l.StartsWith(wanted, StringComparison.OrdinalIgnoreCase) || Iso639(l) == wanted)).Url
                ?? subtitles.FirstOrDefault().Url;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Iso639(string three) => three switch { "eng" => "en", "deu" or "ger" => "de", "fra" or "fre" => "fr", "spa" => "es", "ita" => "it", "nld" or "dut" => "nl", _ => null };
}
