using System.Globalization;
using System.Text.RegularExpressions;
using System.Web;
using EventMonitor.Functions.Conversion.Markdown;
using HtmlAgilityPack;

namespace EventMonitor.Functions.Conversion.Extraction;

/// <summary>
/// pretalx talk pages in both markup generations: current (<c>section.abstract</c>, speakers in
/// <c>div.pretalx-session</c>) and older (<c>div.abstract</c>, <c>div.speakers &gt; div.speaker</c>).
/// External links are wrapped as <c>/redirect/?url=…</c> and are unwrapped here.
/// </summary>
internal sealed partial class PretalxExtractor : ISessionExtractor
{
    public SessionRecord? Extract(PageContext page)
    {
        var heading = page.Class("talk-title").FirstOrDefault();
        if (heading is null)
        {
            return null;
        }
        UnwrapRedirects(page);
        var talk = page.Class("talk-content").FirstOrDefault() ?? page.Class("talk").FirstOrDefault();
        var abstractNode = Dom.First(talk, n => Dom.HasClass(n, "abstract") && n.Name is "section" or "div");
        var descriptionNode = Dom.First(talk, n => Dom.HasClass(n, "description") && n.Name is "section" or "div");
        var small = Dom.First(heading, n => n.Name == "small");
        var (start, end, room) = Slot(small is null ? "" : Dom.Text(small));
        var pageTitle = Dom.Text(page.Tag("title").FirstOrDefault());
        var separator = pageTitle.IndexOf("::", StringComparison.Ordinal);

        return new SessionRecord
        {
            SourceUrl = page.PageUrl.AbsoluteUri,
            Platform = "pretalx",
            Event = separator >= 0 && pageTitle[(separator + 2)..].Trim() is { Length: > 0 } e ? e : page.Meta("og:site_name"),
            Title = Title(heading),
            Start = start,
            End = end,
            Room = room,
            Language = page.Language,
            Abstract = page.Markdown(abstractNode),
            Description = page.Markdown(descriptionNode),
            Speakers = Speakers(page),
            Attachments = [.. page.Class("resources").SelectMany(r => Dom.All(r, "a")).Select(a => FosdemExtractor.Ref(page, a, "href", ResourceTitle(a))).OfType<LinkRef>().DistinctBy(l => l.Url)],
            Videos = [.. Dom.All(talk, "iframe").Select(f => FosdemExtractor.Ref(page, f, "src", "Recording")).OfType<LinkRef>()],
            Image = page.Link(Dom.Attr(Dom.First(page.FirstClass("talk-image"), n => n.Name == "img"), "src")),
        };
    }

    private static string? Title(HtmlNode heading)
    {
        var span = Dom.First(heading, n => n.Name == "span");
        if (span is not null)
        {
            return Dom.TextOrNull(span);
        }
        // The older template puts the title as bare text before the buttons and the slot line.
        var text = string.Concat(heading.ChildNodes.Where(n => n.NodeType == HtmlNodeType.Text).Select(n => System.Net.WebUtility.HtmlDecode(n.InnerText)));
        return Dom.Collapse(text).Trim('»', '«', ' ') is { Length: > 0 } title ? title : null;
    }

    private static string? ResourceTitle(HtmlNode a) => Dom.TextOrNull(a) is { } text ? SizeSuffix().Replace(text, "").Trim() : null;

    private static List<Speaker> Speakers(PageContext page)
    {
        var current = page.Class("pretalx-session").Select(block =>
        {
            var info = Dom.First(block, n => Dom.HasClass(n, "pretalx-session-info"));
            var link = Dom.First(Dom.First(info, n => Dom.HasClass(n, "title")), n => n.Name == "a");
            var name = Dom.TextOrNull(link) ?? Dom.TextOrNull(Dom.First(info, n => Dom.HasClass(n, "title")));
            var avatar = page.Link(Dom.Attr(Dom.First(block, n => n.Name == "img"), "src"));
            return name is null ? null : new Speaker
            {
                Name = name,
                Url = page.Link(Dom.Attr(link, "href")),
                Bio = page.Markdown(Dom.First(info, n => Dom.HasClass(n, "abstract"))),
                Image = avatar is not null && !avatar.EndsWith("/avatar.svg", StringComparison.Ordinal) ? avatar : null,
            };
        }).OfType<Speaker>().ToList();
        if (current.Count > 0)
        {
            return current;
        }
        return [.. page.Class("speaker").Where(n => n.Name == "div").Select(block =>
        {
            var link = Dom.First(block, n => n.Name == "a");
            var name = Dom.TextOrNull(Dom.First(block, n => Dom.HasClass(n, "name")));
            return name is null ? null : new Speaker { Name = name, Url = page.Link(Dom.Attr(link, "href")) };
        }).OfType<Speaker>()];
    }

    /// <summary>Reads "2024-10-31, 10:00–10:30, Room" or "Sat, Feb 1, 2025, 10:30–11:00, Room": pretalx prints the event's local time without an offset.</summary>
    private static (SessionTime? Start, SessionTime? End, string? Room) Slot(string text)
    {
        if (text.Length == 0)
        {
            return (null, null, null);
        }
        var times = TimeRange().Match(text);
        if (!times.Success)
        {
            return (null, null, null);
        }
        var before = text[..times.Index];
        DateOnly? date = IsoDate().Match(before) is { Success: true } iso ? DateOnly.ParseExact(iso.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture) : LongDate(before);
        var after = text[(times.Index + times.Length)..];
        var room = after.TrimStart(',', ' ').Split("Language:", 2)[0].Trim().TrimEnd(',').Trim();
        return (SessionTime.Parse(times.Groups[1].Value, date), SessionTime.Parse(times.Groups[2].Value, date), room.Length > 0 ? room : null);
    }

    private static DateOnly? LongDate(string text)
    {
        var match = EnglishDate().Match(text);
        var formats = new[] { "MMM d yyyy", "MMMM d yyyy", "d MMM yyyy", "d MMMM yyyy" };
        return match.Success && DateOnly.TryParseExact(match.Value.Replace(",", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal), formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var date) ? date : null;
    }

    /// <summary>pretalx wraps external links as <c>/redirect/?url=…</c>; the Markdown should point at the real target.</summary>
    private static void UnwrapRedirects(PageContext page)
    {
        foreach (var a in page.Tag("a"))
        {
            var href = Dom.Attr(a, "href");
            if (href is null || !href.Contains("/redirect/?", StringComparison.Ordinal) || !Uri.TryCreate(page.PageUrl, href, out var wrapped))
            {
                continue;
            }
            if (HttpUtility.ParseQueryString(wrapped.Query)["url"] is { Length: > 0 } target && Uri.TryCreate(target, UriKind.Absolute, out var real) && real.Scheme is "http" or "https")
            {
                a.SetAttributeValue("href", real.AbsoluteUri);
            }
        }
    }

    [GeneratedRegex(@"(\d{1,2}:\d{2})\s*[–—-]\s*(\d{1,2}:\d{2})")]
    private static partial Regex TimeRange();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"([A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})|(\d{1,2} [A-Z][a-z]{2,8}\.? \d{4})")]
    private static partial Regex EnglishDate();

    [GeneratedRegex(@"\(\s*[\d.,]+\s*[KMGk]?i?B\s*\)$")]
    private static partial Regex SizeSuffix();
}
