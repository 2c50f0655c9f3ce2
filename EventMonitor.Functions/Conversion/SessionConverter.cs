using System.Net;
using System.Text;
using HtmlAgilityPack;
using YamlDotNet.Serialization;

namespace EventMonitor.Functions.Conversion;

/// <summary>
/// Fetches a session page and writes its Markdown: YAML frontmatter from the page's metadata and the
/// caller's parameters, then the main text. The same code serves the worker and the <c>convert</c> command.
/// </summary>
internal sealed class SessionConverter(PageFetcher fetcher)
{
    public const string Generator = "event-monitor/1.0";

    public async Task<ConversionOutput> ConvertAsync(ConversionInput input, IConversionSink sink, CancellationToken cancellationToken)
    {
        var page = await fetcher.FetchPageAsync(input.Url, cancellationToken);
        await sink.ReportAsync("fetched", 30, $"Fetched {page.Url} ({page.Html.Length} characters).", null, cancellationToken);

        var html = new HtmlDocument { OptionMaxNestedChildNodes = 512 };
        html.LoadHtml(page.Html);
        var p = input.Parameters;
        var title = p.Session ?? Meta(html, "og:title") ?? Text(html.DocumentNode.SelectSingleNode("//h1")) ?? Text(html.DocumentNode.SelectSingleNode("//title")) ?? "Untitled session";
        var eventName = p.Event ?? Meta(html, "og:site_name");
        var language = p.SourceLanguage ?? html.DocumentNode.SelectSingleNode("//html")?.GetAttributeValue("lang", null) ?? "en";
        var body = MainText(html);

        var front = new SortedDictionary<string, object>(StringComparer.Ordinal) { ["title"] = title, ["source_url"] = page.Url.AbsoluteUri, ["language"] = language };
        Add(front, "event", eventName);
        Add(front, "track", p.Track);
        Add(front, "day", p.Day);
        Add(front, "start", p.Starttime);
        Add(front, "end", p.Endtime);
        if (p.Speakers.Count > 0)
        {
            front["speakers"] = p.Speakers.ToList();
        }
        var yaml = new SerializerBuilder().Build().Serialize(front);

        var markdown = new StringBuilder().Append("---\n").Append(yaml.Replace("\r\n", "\n", StringComparison.Ordinal)).Append("---\n\n# ").Append(title).Append("\n\n");
        foreach (var paragraph in body)
        {
            markdown.Append(paragraph).Append("\n\n");
        }
        await sink.ReportAsync("converted", 60, $"Converted {body.Count} paragraphs.", null, cancellationToken);

        var file = p.Filename is { } name ? (name.EndsWith(".md", StringComparison.Ordinal) ? name : name + ".md") : Slug.From(title, "session") + ".md";
        var path = $"{Slug.From(eventName, "event")}/{Slug.From(language, "und")}/{Slug.From(p.Track, "general")}/{file}";
        return new ConversionOutput { RelativePath = path, Markdown = markdown.ToString().TrimEnd('\n') + "\n", SourceUrl = page.Url.AbsoluteUri, FetchedAt = page.FetchedAt, Generator = Generator };
    }

    private static void Add(SortedDictionary<string, object> front, string key, string? value)
    {
        if (value is not null)
        {
            front[key] = value;
        }
    }

    private static string? Meta(HtmlDocument html, string property) =>
        html.DocumentNode.SelectSingleNode($"//meta[@property='{property}' or @name='{property}']")?.GetAttributeValue("content", null) is { Length: > 0 } value
            ? WebUtility.HtmlDecode(value).Trim()
            : null;

    private static string? Text(HtmlNode? node) =>
        node is null ? null : Normalize(WebUtility.HtmlDecode(node.InnerText)) is { Length: > 0 } text ? text : null;

    private static List<string> MainText(HtmlDocument html)
    {
        var root = html.DocumentNode.SelectSingleNode("//main") ?? html.DocumentNode.SelectSingleNode("//article") ?? html.DocumentNode.SelectSingleNode("//body") ?? html.DocumentNode;
        var paragraphs = root.SelectNodes(".//p") ?? Enumerable.Empty<HtmlNode>();
        return paragraphs.Select(Text).OfType<string>().ToList();
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
