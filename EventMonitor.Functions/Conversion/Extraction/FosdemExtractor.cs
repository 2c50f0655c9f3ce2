using System.Text.RegularExpressions;
using EventMonitor.Functions.Conversion.Markdown;
using HtmlAgilityPack;

namespace EventMonitor.Functions.Conversion.Extraction;

/// <summary>
/// FOSDEM event pages: <c>ul.side-box</c> (Track, Room, Day, Start, End with exact times in the
/// <c>title</c> of <c>.value-title</c>), <c>div.event-abstract</c>/<c>div.event-description</c>,
/// video sources, the Speakers table, <c>ul.event-attachments</c> and the Links list.
/// </summary>
internal sealed partial class FosdemExtractor : ISessionExtractor
{
    public SessionRecord? Extract(PageContext page)
    {
        var sideBox = page.Class("side-box").FirstOrDefault(n => n.Name == "ul");
        if (sideBox is null || (page.FirstClass("event-blurb") is null && page.FirstClass("value-title") is null && !page.PageUrl.Host.Contains("fosdem", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
        var facts = sideBox.ChildNodes.Where(n => n.Name == "li").Select(li => (Label: Dom.Text(Dom.First(li, n => n.Name == "strong")), Item: li)).ToList();
        HtmlNode? Fact(string label) => facts.FirstOrDefault(f => f.Label.Equals(label, StringComparison.OrdinalIgnoreCase)).Item;
        string? Value(string label) => Fact(label) is { } li ? Dom.TextOrNull(Dom.First(li, n => n.Name == "a")) ?? After(Dom.Text(li), label) : null;

        var titles = page.Id("pagetitles");
        var title = Dom.TextOrNull(Dom.First(titles, n => n.Name == "h1")) ?? Dom.TextOrNull(page.Tag("h1").FirstOrDefault());
        var subtitle = Dom.TextOrNull(Dom.First(titles, n => n.Name is "h2" or "h3"));
        var year = YearPattern().Match(page.PageUrl.AbsolutePath) is { Success: true } m ? m.Groups[1].Value : null;

        return new SessionRecord
        {
            SourceUrl = page.PageUrl.AbsoluteUri,
            Platform = "fosdem",
            Event = year is null ? "FOSDEM" : "FOSDEM " + year,
            Title = title,
            Subtitle = subtitle,
            Track = Value("Track"),
            Room = Value("Room"),
            Day = Value("Day"),
            Start = Time(Fact("Start")),
            End = Time(Fact("End")),
            TimeZone = "Europe/Brussels",
            Language = page.Language,
            Abstract = page.Markdown(page.FirstClass("event-abstract")),
            Description = page.Markdown(page.FirstClass("event-description")),
            Videos = [.. page.Class("video").SelectMany(v => Dom.All(v, "source")).Select(s => Ref(page, s, "src", null)).OfType<LinkRef>().DistinctBy(l => l.Url)],
            Subtitles = [.. page.Class("video").SelectMany(v => Dom.All(v, "track")).Where(t => Dom.Attr(t, "kind") is null or "subtitles" or "captions")
                .Select(t => Ref(page, t, "src", Dom.Attr(t, "label")) is { } link ? link with { Language = Dom.Attr(t, "srclang") } : null).OfType<LinkRef>()],
            Speakers = Speakers(page),
            Attachments = [.. page.Class("event-attachments").SelectMany(u => Dom.All(u, "a")).Select(a => Ref(page, a, "href", Dom.TextOrNull(a))).OfType<LinkRef>()],
            Links = [.. ListAfterHeading(page, "Links").Select(a => Ref(page, a, "href", Dom.TextOrNull(a))).OfType<LinkRef>()],
            Image = page.Link(Dom.Attr(page.FirstClass("event-logo"), "src")),
        };
    }

    private static SessionTime? Time(HtmlNode? item)
    {
        if (item is null)
        {
            return null;
        }
        var exact = Dom.First(item, n => Dom.HasClass(n, "value-title"));
        return SessionTime.Parse(Dom.Attr(exact, "title")) ?? SessionTime.Parse(After(Dom.Text(item), "time"));
    }

    private static List<Speaker> Speakers(PageContext page)
    {
        var heading = page.Tag("h3").FirstOrDefault(h => Dom.Text(h).Equals("Speakers", StringComparison.OrdinalIgnoreCase));
        var table = heading is null ? null : NextElement(heading);
        if (table?.Name != "table")
        {
            return [];
        }
        var speakers = new List<Speaker>();
        foreach (var row in Dom.All(table, "tr"))
        {
            var link = Dom.All(row, "a").LastOrDefault(a => Dom.Text(a).Length > 0);
            var name = Dom.TextOrNull(link) ?? Dom.TextOrNull(row);
            if (name is null)
            {
                continue;
            }
            speakers.Add(new Speaker { Name = name, Url = page.Link(Dom.Attr(link, "href")), Image = page.Link(Dom.Attr(Dom.First(row, n => n.Name == "img"), "src")) });
        }
        return speakers;
    }

    internal static IEnumerable<HtmlNode> ListAfterHeading(PageContext page, string heading)
    {
        var h = page.Tag("h3").FirstOrDefault(n => Dom.Text(n).Equals(heading, StringComparison.OrdinalIgnoreCase));
        return h is not null && NextElement(h) is { Name: "ul" or "ol" } list ? Dom.All(list, "a") : [];
    }

    private static HtmlNode? NextElement(HtmlNode node)
    {
        var next = node.NextSibling;
        while (next is not null && next.NodeType != HtmlNodeType.Element)
        {
            next = next.NextSibling;
        }
        return next;
    }

    internal static LinkRef? Ref(PageContext page, HtmlNode node, string attribute, string? title) =>
        page.Link(Dom.Attr(node, attribute)) is { } url ? new LinkRef { Url = url, Title = title, MediaType = Dom.Attr(node, "type") } : null;

    private static string? After(string text, string? label)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var value = (label is not null && colon >= 0 ? text[(colon + 1)..] : text).Trim();
        return value.Length > 0 ? value : null;
    }

    [GeneratedRegex(@"^/(\d{4})/")]
    private static partial Regex YearPattern();
}
