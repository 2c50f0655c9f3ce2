using EventMonitor.Functions.Conversion.Markdown;

namespace EventMonitor.Functions.Conversion.Extraction;

/// <summary>
/// frab public event pages (CCC): the page's JSON-LD carries the exact times with offset, room,
/// performers and the conference; the HTML carries abstract and description cards, track, links
/// and attachments.
/// </summary>
internal sealed class FrabExtractor : ISessionExtractor
{
    public SessionRecord? Extract(PageContext page)
    {
        var speakersSection = page.FirstClass("speakers-section");
        if (speakersSection is null && page.FirstClass("links-section") is null)
        {
            return null;
        }
        var data = JsonLdEvent.Extract(page, "frab") ?? new SessionRecord { SourceUrl = page.PageUrl.AbsoluteUri, Platform = "frab" };
        var article = page.Tag("article").FirstOrDefault();
        var cards = page.Class("card-body").Select(c => (Title: Dom.Text(Dom.First(c, n => Dom.HasClass(n, "card-title"))), Body: Dom.First(c, n => Dom.HasClass(n, "text-muted")))).ToList();
        string? Card(string title) => page.Markdown(cards.FirstOrDefault(c => c.Title.Equals(title, StringComparison.OrdinalIgnoreCase)).Body);
        var links = page.FirstClass("links-section") is { } section ? Dom.All(section, "a").ToList() : [];
        bool IsAttachment(string url) => url.Contains("/attachments/", StringComparison.Ordinal) || url.Contains("/system/event_attachments/", StringComparison.Ordinal);
        var refs = links.Select(a => FosdemExtractor.Ref(page, a, "href", Dom.TextOrNull(a))).OfType<LinkRef>().Where(l => !l.Url.EndsWith(".ics", StringComparison.Ordinal)).ToList();
        var bySpeakerName = Dom.All(speakersSection, "a").Where(a => Dom.Text(a).Length > 0).ToDictionary(a => Dom.Text(a), a => page.Link(Dom.Attr(a, "href")), StringComparer.Ordinal);
        return data with
        {
            Platform = "frab",
            Title = data.Title ?? Dom.TextOrNull(Dom.First(article, n => n.Name == "h2")),
            Track = Dom.TextOrNull(page.Class("badge").FirstOrDefault(b => Dom.HasClass(b, "bg-success"))),
            Abstract = Card("Abstract") ?? data.Abstract,
            Description = Card("Description"),
            Language = data.Language ?? page.Language,
            Speakers = data.Speakers.Count > 0
                ? [.. data.Speakers.Select(s => s with { Url = bySpeakerName.GetValueOrDefault(s.Name) ?? s.Url, Image = s.Image?.Contains("missing", StringComparison.Ordinal) == true ? null : s.Image })]
                : [.. bySpeakerName.Select(kv => new Speaker { Name = kv.Key, Url = kv.Value })],
            Attachments = [.. refs.Where(l => IsAttachment(l.Url))],
            Videos = [.. refs.Where(l => l.Title == "Video")],
            Links = [.. refs.Where(l => !IsAttachment(l.Url) && l.Title != "Video")],
        };
    }
}
