using System.Text;
using EventMonitor.Functions.Conversion.Extraction;

namespace EventMonitor.Functions.Conversion.Markdown;

/// <summary>An attachment as it ends up in the Markdown: its link (asset path or original URL) and any extracted slide text.</summary>
internal sealed record RenderedAttachment
{
    public required string Title { get; init; }
    public required string Link { get; init; }
    /// <summary>Below the output root, as the Markdown lists it (deterministic, no owner prefix).</summary>
    public string? StoredPath { get; init; }

    /// <summary>Where the sink put it (with the owner prefix), for the job's results.</summary>
    public string? StoragePath { get; init; }
    public IReadOnlyList<string> SlidePages { get; init; } = [];
}

/// <summary>Frontmatter, then the sections in a fixed order; every section is omitted when empty.</summary>
internal static class SessionRenderer
{
    public static string Render(SessionRecord record, string? targetLanguage, IReadOnlyList<RenderedAttachment> attachments, string? transcript)
    {
        var md = new StringBuilder(1024);
        Frontmatter.Write(md, record, targetLanguage, [.. attachments.Select(a => a.StoredPath ?? a.Link)]);
        md.Append('\n').Append("# ").Append(MarkdownText.EscapeInline(record.Title ?? "Untitled session")).Append('\n');
        if (record.Subtitle is { } subtitle)
        {
            Section(md, null, "*" + MarkdownText.EscapeInline(subtitle) + "*");
        }
        Section(md, "Abstract", Nested(record.Abstract, record.Title));
        Section(md, "Description", Nested(record.Description, record.Title));
        Section(md, "Content", Nested(record.Body, record.Title));
        Speakers(md, record.Speakers);
        Section(md, "Links", List(record.Links));
        Section(md, "Video", List(record.Videos));
        Section(md, "Attachments", List([.. attachments.Select(a => new LinkRef { Url = a.Link, Title = a.Title })]));
        var slides = attachments.Where(a => a.SlidePages.Count > 0).ToList();
        if (slides.Count > 0)
        {
            var text = new StringBuilder();
            foreach (var attachment in slides)
            {
                if (slides.Count > 1)
                {
                    text.Append("### ").Append(MarkdownText.EscapeInline(attachment.Title)).Append("\n\n");
                }
                for (var i = 0; i < attachment.SlidePages.Count; i++)
                {
                    text.Append(slides.Count > 1 ? "#### " : "### ").Append("Page ").Append(i + 1).Append("\n\n").Append(attachment.SlidePages[i]).Append("\n\n");
                }
            }
            Section(md, "Slides", text.ToString());
        }
        Section(md, "Transcript", transcript);
        while (md.Length > 0 && md[^1] == '\n')
        {
            md.Length--;
        }
        return md.Append('\n').ToString();
    }

    /// <summary>
    /// Page headings nest below the section's <c>##</c>: each moves down two levels (at most to h6), and
    /// a leading heading that repeats the title is dropped. Fenced code is left alone.
    /// </summary>
    private static string? Nested(string? markdown, string? title)
    {
        // Without a heading line there is nothing to move or drop.
        if (markdown is null || !(markdown.StartsWith('#') || markdown.Contains("\n#", StringComparison.Ordinal)))
        {
            return markdown;
        }
        var lines = markdown.Split('\n').ToList();
        var first = lines.FindIndex(l => l.Length > 0);
        if (first >= 0 && lines[first].StartsWith('#') && title is not null && lines[first].TrimStart('#').Trim() == MarkdownText.EscapeInline(title))
        {
            lines.RemoveRange(0, Math.Min(lines.Count, first + 2));
        }
        string? fence = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].TrimStart(' ', '>');
            if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal))
            {
                var marker = line[..(line.Length - line.TrimStart(line[0]).Length)];
                fence = fence is null ? marker : line.Trim() == fence || (line.TrimEnd().Length >= fence.Length && line.Trim().All(c => c == fence[0])) ? null : fence;
                continue;
            }
            if (fence is null && lines[i].StartsWith('#'))
            {
                var level = lines[i].Length - lines[i].TrimStart('#').Length;
                lines[i] = new string('#', Math.Min(6, level + 2)) + lines[i][level..];
            }
        }
        return string.Join('\n', lines);
    }

    private static void Speakers(StringBuilder md, IReadOnlyList<Speaker> speakers)
    {
        if (!speakers.Any(s => s.Bio is not null || s.Url is not null || s.Image is not null))
        {
            Section(md, "Speakers", string.Join("\n", speakers.Select(s => "- " + MarkdownText.EscapeInline(s.Name))));
            return;
        }
        var text = new StringBuilder();
        foreach (var speaker in speakers)
        {
            text.Append("### ").Append(MarkdownText.EscapeInline(speaker.Name)).Append("\n\n");
            if (speaker.Image is { } image)
            {
                text.Append("![").Append(MarkdownText.EscapeInline(speaker.Name)).Append("](").Append(MarkdownText.Destination(image)).Append(")\n\n");
            }
            if (speaker.Url is { } url)
            {
                text.Append('<').Append(url).Append(">\n\n");
            }
            if (speaker.Bio is { } bio)
            {
                text.Append(bio.Trim()).Append("\n\n");
            }
        }
        Section(md, "Speakers", text.ToString());
    }

    private static string List(IReadOnlyList<LinkRef> links) =>
        string.Join("\n", links.DistinctBy(l => l.Url).Select(l => "- [" + MarkdownText.EscapeInline(l.Title ?? FileName(l.Url)) + "](" + MarkdownText.Destination(l.Url) + ")"));

    private static string FileName(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && Path.GetFileName(uri.AbsolutePath) is { Length: > 0 } name ? Uri.UnescapeDataString(name) : url;

    private static void Section(StringBuilder md, string? heading, string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return;
        }
        md.Append('\n');
        if (heading is not null)
        {
            md.Append("## ").Append(heading).Append("\n\n");
        }
        md.Append(body.AsSpan().Trim('\n')).Append('\n');
    }
}
