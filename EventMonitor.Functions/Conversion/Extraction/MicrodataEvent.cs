using EventMonitor.Functions.Conversion.Markdown;
using HtmlAgilityPack;

namespace EventMonitor.Functions.Conversion.Extraction;

/// <summary>schema.org <c>Event</c> in microdata (<c>itemscope itemtype=".../Event"</c>).</summary>
internal static class MicrodataEvent
{
    public static SessionRecord? Extract(PageContext page, string platform)
    {
        var scope = Dom.Elements(page.Document.DocumentNode).FirstOrDefault(n => n.Attributes.Contains("itemscope")
            && (Dom.Attr(n, "itemtype") ?? "").TrimEnd('/').EndsWith("Event", StringComparison.Ordinal));
        if (scope is null)
        {
            return null;
        }
        var props = Props(scope);
        string? Get(string name) => props.FirstOrDefault(p => p.Name == name).Node is { } node ? Value(node) : null;
        var speakers = props.Where(p => p.Name is "performer" or "performers" or "organizer" && p.Node.Attributes.Contains("itemscope"))
            .Select(p => Props(p.Node).FirstOrDefault(q => q.Name == "name").Node is { } n && Value(n) is { } name
                ? new Speaker { Name = name, Url = page.Link(Props(p.Node).FirstOrDefault(q => q.Name is "url" or "sameAs").Node is { } u ? Dom.Attr(u, "href") : null) }
                : null)
            .OfType<Speaker>().ToList();
        var location = props.FirstOrDefault(p => p.Name == "location").Node;
        var room = location is null ? null : location.Attributes.Contains("itemscope")
            ? Props(location).FirstOrDefault(q => q.Name == "name").Node is { } ln ? Value(ln) : null
            : Value(location);
        var descriptionNode = props.FirstOrDefault(p => p.Name == "description").Node;
        return new SessionRecord
        {
            SourceUrl = page.PageUrl.AbsoluteUri,
            Platform = platform,
            Title = Get("name"),
            Start = SessionTime.Parse(JsonLdEvent.NormaliseOffset(Get("startDate"))),
            End = SessionTime.Parse(JsonLdEvent.NormaliseOffset(Get("endDate"))),
            Room = room,
            Language = Get("inLanguage"),
            Speakers = speakers,
            Abstract = descriptionNode is null ? null : descriptionNode.Name == "meta" ? JsonLdEvent.TextToMarkdown(Value(descriptionNode) ?? "", page) : page.Markdown(descriptionNode),
            Image = page.Link(props.FirstOrDefault(p => p.Name == "image").Node is { } img ? Dom.Attr(img, "src") ?? Dom.Attr(img, "content") ?? Dom.Attr(img, "href") : null),
        };
    }

    /// <summary>The item's own properties: descendants with <c>itemprop</c>, not looking inside nested items.</summary>
    private static List<(string Name, HtmlNode Node)> Props(HtmlNode scope)
    {
        var result = new List<(string, HtmlNode)>();
        var stack = new Stack<HtmlNode>(scope.ChildNodes.Reverse());
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node.NodeType != HtmlNodeType.Element)
            {
                continue;
            }
            if (Dom.Attr(node, "itemprop") is { } names)
            {
                foreach (var name in names.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    result.Add((name, node));
                }
            }
            if (node.Attributes.Contains("itemscope"))
            {
                continue;
            }
            foreach (var child in node.ChildNodes.Reverse())
            {
                stack.Push(child);
            }
        }
        return result;
    }

    private static string? Value(HtmlNode node) =>
        Dom.Attr(node, "content") ?? Dom.Attr(node, "datetime") ?? (node.Name is "a" or "link" ? Dom.TextOrNull(node) ?? Dom.Attr(node, "href") : Dom.TextOrNull(node));
}
