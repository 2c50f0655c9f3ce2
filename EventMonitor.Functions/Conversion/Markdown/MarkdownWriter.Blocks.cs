using System.Text;
using HtmlAgilityPack;

namespace EventMonitor.Functions.Conversion.Markdown;

internal sealed partial class MarkdownWriter
{
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal)
    {
        "script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe", "svg", "canvas",
        "button", "input", "select", "textarea", "object", "embed", "video", "audio", "source", "track", "map",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "dl", "dt", "dd", "figure",
        "figcaption", "form", "fieldset", "address", "details", "summary", "center", "table", "thead", "tbody",
        "tfoot", "tr", "td", "th", "caption", "body", "html", "hgroup", "legend", "picture",
    };

    private static readonly Dictionary<string, int> Headings = new(StringComparer.Ordinal)
    {
        ["h1"] = 1, ["h2"] = 2, ["h3"] = 3, ["h4"] = 4, ["h5"] = 5, ["h6"] = 6,
    };

    /// <summary>Ends the current paragraph: its inline buffer becomes lines under the current prefixes.</summary>
    private void Flush()
    {
        // Blocks end far more often than they hold text; an empty buffer only starts a new generation.
        if (_inline.Length == 0)
        {
            _generation++;
            return;
        }
        var text = TakeInline();
        var lines = text.Split(HardBreak).Select(l => l.Trim(' ')).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        while (lines.Count > 0 && lines[0].Length == 0)
        {
            lines.RemoveAt(0);
        }
        if (lines.Count == 0)
        {
            return;
        }
        BlankBefore();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = MarkdownText.EscapeLineStart(lines[i]);
            // A backslash at the end of a line is a hard break; empty lines from double <br> would end the paragraph.
            EmitLine(i < lines.Count - 1 && line.Length > 0 ? line + "\\" : line.Length == 0 ? "\\" : line);
        }
        _pendingBlank = true;
    }

    private void BlankBefore()
    {
        if (_pendingBlank && _out.Length > 0)
        {
            _out.Append(Prefix(blank: true).TrimEnd()).Append('\n');
        }
        _pendingBlank = false;
    }

    private void EmitLine(string line)
    {
        BlankBefore();
        _out.Append(Prefix(blank: false)).Append(line).Append('\n');
    }

    private string Prefix(bool blank)
    {
        if (_containers.Count == 0)
        {
            return "";
        }
        var builder = new StringBuilder();
        foreach (var container in _containers)
        {
            switch (container.Kind)
            {
                case ContainerKind.Quote:
                    builder.Append("> ");
                    break;
                case ContainerKind.ListItem when !container.MarkerWritten && !blank:
                    builder.Append(container.Marker).Append(' ');
                    container.MarkerWritten = true;
                    break;
                case ContainerKind.ListItem:
                    builder.Append(' ', container.Marker.Length + 1);
                    break;
            }
        }
        return builder.ToString();
    }

    private void EmitFence(HtmlNode pre)
    {
        var code = RawText(pre).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n', ' ');
        if (code.StartsWith('\n'))
        {
            code = code[1..];
        }
        var language = Language(pre) ?? (Dom.First(pre, n => n.Name == "code") is { } inner ? Language(inner) : null);
        var fence = new string('`', Math.Max(3, MarkdownText.LongestRun(code, '`') + 1));
        BlankBefore();
        EmitLine(fence + (language ?? ""));
        foreach (var line in code.Split('\n'))
        {
            EmitLine(line);
        }
        EmitLine(fence);
        _pendingBlank = true;
    }

    private static string? Language(HtmlNode node)
    {
        var classes = node.GetAttributeValue("class", "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var match = classes.FirstOrDefault(c => c.StartsWith("language-", StringComparison.Ordinal) || c.StartsWith("lang-", StringComparison.Ordinal));
        return match?[(match.IndexOf('-', StringComparison.Ordinal) + 1)..] is { Length: > 0 and < 30 } language && language.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '#' or '-' or '_')
            ? language
            : null;
    }

    private enum ContainerKind { Quote, BulletList, OrderedList, ListItem }

    private sealed class Container(ContainerKind kind)
    {
        public ContainerKind Kind { get; } = kind;
        public string Marker { get; init; } = "-";
        public int Counter { get; set; } = 1;
        public bool MarkerWritten { get; set; }
    }
}
