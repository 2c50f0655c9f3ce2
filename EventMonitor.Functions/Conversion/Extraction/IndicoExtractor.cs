using System.Globalization;
using EventMonitor.Functions.Conversion.Markdown;

namespace EventMonitor.Functions.Conversion.Extraction;

/// <summary>
/// Indico contribution pages (<c>item-summary</c>). Their JSON-LD describes the whole event, so it
/// supplies only the event's name; everything about the contribution comes from the markup.
/// </summary>
internal sealed class IndicoExtractor : ISessionExtractor
{
    private static readonly string[] DateFormats =
    [
        "d MMM yyyy, HH:mm", "d MMMM yyyy, HH:mm", "MMM d, yyyy, h:mm tt", "MMMM d, yyyy, h:mm tt", "MMM d, yyyy h:mm tt",
        "dddd d MMMM yyyy, HH:mm", "dddd, d MMMM yyyy, HH:mm", "yyyy-MM-dd HH:mm",
    ];

    public SessionRecord? Extract(PageContext page)
    {
        var summary = page.Class("item-summary").FirstOrDefault();
        if (summary is null || (page.FirstClass("time-info") is null && page.FirstClass("speaker-list") is null && page.FirstClass("contrib-track") is null))
        {
            return null;
        }
        var eventLevel = JsonLdEvent.Extract(page, "indico");
        var title = Dom.TextOrNull(Dom.First(summary, n => n.Name == "h1" || Dom.HasClass(n, "page-title"))) ?? page.Meta("og:title");
        var startText = Dom.Text(page.FirstClass("time-info")).Replace('\u202f', ' ');
        var start = DateTime.TryParseExact(startText, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local)
            ? new SessionTime { Date = DateOnly.FromDateTime(local), Time = TimeOnly.FromDateTime(local) }
            : null;
        var speakers = page.Class("speaker-item").Select(item => Dom.First(item, n => n.Name == "a") is { } a && Dom.TextOrNull(a) is { } name
            ? new Speaker { Name = name, Url = page.Link(Dom.Attr(a, "href")) }
            : null).OfType<Speaker>().DistinctBy(s => s.Name).ToList();
        var attachments = page.Tag("a").Where(a => Dom.HasClass(a, "attachment") || (Dom.Attr(a, "href") ?? "").Contains("/attachments/", StringComparison.Ordinal))
            .Select(a => FosdemExtractor.Ref(page, a, "href", Dom.TextOrNull(a))).OfType<LinkRef>().DistinctBy(l => l.Url).ToList();
        return new SessionRecord
        {
            SourceUrl = page.PageUrl.AbsoluteUri,
            Platform = "indico",
            Event = eventLevel?.Title ?? page.Meta("og:site_name"),
            Title = title,
            Start = start,
            TimeZone = Dom.Attr(page.FirstClass("time-info"), "data-tz"),
            Room = Dom.TextOrNull(page.FirstClass("contribution-location")),
            Track = Dom.TextOrNull(page.FirstClass("contrib-track")),
            Language = page.Language,
            Speakers = speakers,
            Description = page.Markdown(page.Class("description").FirstOrDefault()),
            Attachments = attachments,
        };
    }
}
