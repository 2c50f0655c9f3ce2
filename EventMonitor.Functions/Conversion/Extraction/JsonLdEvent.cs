using System.Net;
using System.Text.Json;
using EventMonitor.Functions.Conversion.Markdown;

namespace EventMonitor.Functions.Conversion.Extraction;

/// <summary>schema.org <c>Event</c> objects from JSON-LD scripts (top level, arrays and <c>@graph</c>).</summary>
internal static class JsonLdEvent
{
    private const int MaxScriptChars = 1_000_000;

    public static SessionRecord? Extract(PageContext page, string platform)
    {
        foreach (var script in page.Tag("script").Where(s => string.Equals(Dom.Attr(s, "type"), "application/ld+json", StringComparison.OrdinalIgnoreCase)))
        {
            var json = script.InnerText;
            if (json.Length > MaxScriptChars)
            {
                continue;
            }
            try
            {
                using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 32 });
                if (FindEvent(document.RootElement) is { } found)
                {
                    return Read(page, found, platform);
                }
            }
            catch (JsonException)
            {
                // Broken JSON-LD is common in the wild; the page's other data still counts.
            }
        }
        return null;
    }

    private static JsonElement? FindEvent(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            return element.EnumerateArray().Select(FindEvent).FirstOrDefault(e => e is not null);
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (IsEvent(element))
        {
            return element;
        }
        return element.TryGetProperty("@graph", out var graph) ? FindEvent(graph) : null;
    }

    private static bool IsEvent(JsonElement element) =>
        element.TryGetProperty("@type", out var type) && (type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.ToString()) : [type.ToString()])
            .Any(t => t.EndsWith("Event", StringComparison.Ordinal));

    private static SessionRecord Read(PageContext page, JsonElement e, string platform)
    {
        var performers = Items(e, "performer").Concat(Items(e, "performers")).Where(p => p.ValueKind == JsonValueKind.Object)
            .Select(p => Str(p, "name") is { } name ? new Speaker { Name = name, Url = page.Link(Str(p, "url") ?? Str(p, "sameAs")), Image = page.Link(ImageOf(p)) } : null)
            .OfType<Speaker>().DistinctBy(s => s.Name).ToList();
        var location = Items(e, "location").FirstOrDefault();
        var super = Items(e, "superEvent").FirstOrDefault();
        var description = e.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        return new SessionRecord
        {
            SourceUrl = page.PageUrl.AbsoluteUri,
            Platform = platform,
            Title = Str(e, "name"),
            Event = super.ValueKind == JsonValueKind.Object ? Str(super, "name") : null,
            Start = SessionTime.Parse(NormaliseOffset(Str(e, "startDate"))),
            End = SessionTime.Parse(NormaliseOffset(Str(e, "endDate"))),
            Room = location.ValueKind == JsonValueKind.Object ? Str(location, "name") : location.ValueKind == JsonValueKind.String ? location.GetString() : null,
            Language = Str(e, "inLanguage"),
            Speakers = performers,
            Abstract = description is null ? null : TextToMarkdown(description, page),
            Image = page.Link(ImageOf(e)),
        };
    }

    /// <summary>Descriptions are usually plain text, sometimes HTML: either way they become Markdown.</summary>
    internal static string? TextToMarkdown(string text, PageContext page)
    {
        if (!text.Contains('<', StringComparison.Ordinal))
        {
            var paragraphs = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
                .Select(p => MarkdownText.EscapeLineStart(MarkdownText.EscapeInline(Dom.Collapse(WebUtility.HtmlDecode(p))))).Where(p => p.Length > 0);
            return string.Join("\n\n", paragraphs) is { Length: > 0 } md ? md : null;
        }
        return page.Markdown(Dom.Parse(text).DocumentNode);
    }

    internal static string? NormaliseOffset(string? value) =>
        value is { Length: > 5 } && (value[^5] is '+' or '-') && value[^4..].All(char.IsAsciiDigit) && value.Contains('T', StringComparison.Ordinal)
            ? value[..^2] + ":" + value[^2..]
            : value;

    private static List<JsonElement> Items(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var value) ? [] : value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : [value];

    private static string? ImageOf(JsonElement e) =>
        Items(e, "image").Select(i => i.ValueKind == JsonValueKind.String ? i.GetString() : i.ValueKind == JsonValueKind.Object ? Str(i, "url") : null).FirstOrDefault(s => s is not null);

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && Dom.Collapse(value.GetString()!) is { Length: > 0 } text ? text : null;
}
