using System.Text.RegularExpressions;
using EventMonitor.Functions.Conversion.Markdown;
using HtmlAgilityPack;
using SmartReader;

namespace EventMonitor.Functions.Conversion.Extraction;

/// <summary>
/// Main-content extraction for pages no platform extractor knows. Boilerplate (navigation, cookie
/// banners, footers) is removed first; SmartReader then picks the article. SmartReader costs about
/// 4× Turndown and grows cubically with nesting and is not cancellable (the measurements in docs/benchmarks.md), so it only ever
/// sees a shallow, node-capped copy and never fetches anything itself.
/// </summary>
internal static partial class ReadabilityExtractor
{
    private const int MaxReaderDepth = 64;
    private const int MaxReaderNodes = 20_000;

    public static string? MainContent(PageContext page)
    {
        var copy = Dom.Parse(page.Document.DocumentNode.OuterHtml);
        RemoveBoilerplate(copy.DocumentNode);
        var nodes = Dom.Flatten(copy.DocumentNode, MaxReaderDepth);
        if (nodes <= MaxReaderNodes)
        {
            try
            {
                var reader = new Reader(page.PageUrl.AbsoluteUri, copy.DocumentNode.OuterHtml) { Debug = false };
                var article = reader.GetArticle();
                if (article.IsReadable && !string.IsNullOrWhiteSpace(article.Content))
                {
                    return page.Markdown(Dom.Parse(article.Content).DocumentNode);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NullReferenceException or FormatException)
            {
                // A reader failure on odd markup falls through to the simple main-element rule below.
            }
        }
        var index = new PageContext(copy, page.PageUrl);
        var main = index.Tag("main").FirstOrDefault() ?? index.Tag("article").FirstOrDefault() ?? index.Tag("body").FirstOrDefault() ?? copy.DocumentNode;
        return page.Markdown(main);
    }

    /// <summary>Removes navigation, headers, footers, forms and cookie/consent banners.</summary>
    private static void RemoveBoilerplate(HtmlNode root)
    {
        var doomed = Dom.Elements(root).Where(n => n.Name is "nav" or "header" or "footer" or "aside" or "form" or "script" or "style" or "noscript" or "iframe"
            || n.GetAttributeValue("role", "") is "navigation" or "banner" or "contentinfo" or "dialog"
            || Boilerplate().IsMatch(n.GetAttributeValue("id", "") + " " + n.GetAttributeValue("class", ""))).ToList();
        foreach (var node in doomed)
        {
            node.Remove();
        }
    }

    [GeneratedRegex(@"(?i)\b[\w-]*(cookie|consent|gdpr|newsletter|breadcrumb|share|social|sidebar|skip-link|menu|navbar|site-footer|site-header)[\w-]*\b")]
    private static partial Regex Boilerplate();
}
