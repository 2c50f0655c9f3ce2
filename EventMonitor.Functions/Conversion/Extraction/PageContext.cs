using EventMonitor.Functions.Conversion.Markdown;
using HtmlAgilityPack;

namespace EventMonitor.Functions.Conversion.Extraction;

/// <summary>A parsed page with one-pass lookups by class, tag and id, and its base URL for links.</summary>
internal sealed class PageContext
{
    private readonly Dictionary<string, List<HtmlNode>> _byClass = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<HtmlNode>> _byTag = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HtmlNode> _byId = new(StringComparer.Ordinal);
    private Dictionary<string, string>? _meta;

    public PageContext(HtmlDocument document, Uri pageUrl)
    {
        Document = document;
        PageUrl = pageUrl;
        // Class names are looked up as spans, so a name costs a string only the first time the page uses it.
        var byClassName = _byClass.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var element in Dom.Elements(document.DocumentNode))
        {
            Add(_byTag, element.Name, element);
            if (element.GetAttributeValue("class", null) is { } classes)
            {
                foreach (var name in Dom.ClassNames(classes))
                {
                    if (!byClassName.TryGetValue(classes.AsSpan(name), out var list))
                    {
                        byClassName[classes.AsSpan(name)] = list = [];
                    }
                    // An element listed twice under one class ("a b a") is indexed once.
                    if (list.Count == 0 || list[^1] != element)
                    {
                        list.Add(element);
                    }
                }
            }
            if (element.GetAttributeValue("id", null) is { } id)
            {
                _byId.TryAdd(id, element);
            }
        }
        BaseUrl = Tag("base").Select(b => Dom.Attr(b, "href")).OfType<string>().Select(h => Uri.TryCreate(pageUrl, h, out var u) ? u : null).FirstOrDefault(u => u is not null) ?? pageUrl;
    }

    public HtmlDocument Document { get; }
    public Uri PageUrl { get; }
    public Uri BaseUrl { get; }

    public IEnumerable<HtmlNode> Class(string name) => _byClass.TryGetValue(name, out var list) ? list : [];

    public IEnumerable<HtmlNode> Tag(string name) => _byTag.TryGetValue(name, out var list) ? list : [];

    public HtmlNode? Id(string id) => _byId.GetValueOrDefault(id);

    public HtmlNode? FirstClass(string name) => _byClass.TryGetValue(name, out var list) ? list[0] : null;

    /// <summary>A <c>meta</c> value by <c>name</c> or <c>property</c> (the first such tag with content, whitespace collapsed).</summary>
    public string? Meta(string key) => (_meta ??= MetaValues()).GetValueOrDefault(key);

    public string? Markdown(HtmlNode? node) => node is null ? null : MarkdownWriter.Convert(node, BaseUrl) is { Length: > 0 } md ? md : null;

    public string? Link(string? href) => Dom.Absolute(BaseUrl, href);

    public string? Language => Dom.Attr(Tag("html").FirstOrDefault(), "lang");

    private Dictionary<string, string> MetaValues()
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var meta in Tag("meta"))
        {
            if (Dom.Attr(meta, "content") is { } content)
            {
                values.TryAdd(meta.GetAttributeValue("property", meta.GetAttributeValue("name", "")), Dom.Collapse(content));
            }
        }
        return values;
    }

    private static void Add(Dictionary<string, List<HtmlNode>> index, string key, HtmlNode node)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }
        list.Add(node);
    }
}
