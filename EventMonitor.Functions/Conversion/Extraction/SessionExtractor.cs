using EventMonitor.Functions.Conversion.Markdown;

namespace EventMonitor.Functions.Conversion.Extraction;

/// <summary>
/// Detects the platform and reads the session: platform extractors first (exact markup), then
/// schema.org data, then OpenGraph/meta, and readability-style main content only when nothing
/// better describes the session.
/// </summary>
internal sealed class SessionExtractor
{
    private readonly ISessionExtractor[] _platforms = [new FosdemExtractor(), new PretalxExtractor(), new FrabExtractor(), new IndicoExtractor()];

    public SessionRecord Extract(string html, Uri pageUrl)
    {
        var page = new PageContext(Dom.Parse(html), pageUrl);
        var meta = MetaExtractor.Extract(page, "meta");
        foreach (var platform in _platforms)
        {
            if (platform.Extract(page) is { } record)
            {
                // Indico's page-level data describes the whole event, not the contribution.
                return record.Platform == "indico" ? record.Fill(meta with { Title = null, Abstract = null }) : record.Fill(meta);
            }
        }
        var structured = JsonLdEvent.Extract(page, "schema.org") ?? MicrodataEvent.Extract(page, "schema.org");
        if (structured is not null)
        {
            var filled = structured.Fill(meta);
            return filled.Abstract is null ? filled with { Body = ReadabilityExtractor.MainContent(page) } : filled;
        }
        return meta with { Platform = "readability", Abstract = null, Description = meta.Abstract, Body = ReadabilityExtractor.MainContent(page) } is var fallback && fallback.Body is not null
            ? fallback with { Description = null }
            : fallback;
    }
}

internal static class SessionRecordMerge
{
    /// <summary>Fills this record's gaps from a less specific source; never overwrites a value.</summary>
    public static SessionRecord Fill(this SessionRecord record, SessionRecord other) => record with
    {
        Event = record.Event ?? other.Event,
        Title = record.Title ?? other.Title,
        Subtitle = record.Subtitle ?? other.Subtitle,
        Track = record.Track ?? other.Track,
        Room = record.Room ?? other.Room,
        Language = record.Language ?? other.Language,
        Day = record.Day ?? other.Day,
        Start = record.Start ?? other.Start,
        End = record.End ?? other.End,
        TimeZone = record.TimeZone ?? other.TimeZone,
        Speakers = record.Speakers.Count > 0 ? record.Speakers : other.Speakers,
        Abstract = record.Abstract ?? (record.Description is null ? other.Abstract : null),
        Links = record.Links.Count > 0 ? record.Links : other.Links,
        Attachments = record.Attachments.Count > 0 ? record.Attachments : other.Attachments,
        Videos = record.Videos.Count > 0 ? record.Videos : other.Videos,
        Subtitles = record.Subtitles.Count > 0 ? record.Subtitles : other.Subtitles,
        Image = record.Image ?? other.Image,
    };
}
