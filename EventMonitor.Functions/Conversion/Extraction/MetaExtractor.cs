namespace EventMonitor.Functions.Conversion.Extraction;

/// <summary>OpenGraph and plain meta tags: title, description, image, site name.</summary>
internal static class MetaExtractor
{
    public static SessionRecord Extract(PageContext page, string platform)
    {
        var description = page.Meta("og:description") ?? page.Meta("description");
        return new SessionRecord
        {
            SourceUrl = page.PageUrl.AbsoluteUri,
            Platform = platform,
            Title = page.Meta("og:title") ?? page.Meta("twitter:title") ?? Markdown.Dom.TextOrNull(page.Tag("h1").FirstOrDefault()) ?? Markdown.Dom.TextOrNull(page.Tag("title").FirstOrDefault()),
            Event = page.Meta("og:site_name"),
            Abstract = description is null ? null : JsonLdEvent.TextToMarkdown(description, page),
            Image = page.Link(page.Meta("og:image") ?? page.Meta("twitter:image")),
            Language = page.Language ?? page.Meta("og:locale")?.Split('_')[0],
        };
    }
}
