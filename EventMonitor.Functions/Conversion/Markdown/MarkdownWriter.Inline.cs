using System.Text;
using HtmlAgilityPack;

namespace EventMonitor.Functions.Conversion.Markdown;

internal sealed partial class MarkdownWriter
{
    /// <summary>Appends page text escaped, each whitespace run as one space (none after a space or line break already there).</summary>
    private void AppendText(string text)
    {
        if (_text.Length < text.Length)
        {
            _text = new char[Math.Max(text.Length, 256)];
        }
        var length = 0;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                var last = length > 0 ? _text[length - 1] : (_inline.Length > 0 ? _inline[^1] : ' ');
                if (last is not (' ' or HardBreak))
                {
                    _text[length++] = ' ';
                }
                continue;
            }
            _text[length++] = c;
        }
        MarkdownText.EscapeInline(_inline, _text.AsSpan(0, length));
    }

    private void AppendRaw(string markdown) => _inline.Append(markdown);

    private void AppendImage(HtmlNode node)
    {
        var src = Dom.Absolute(_base, Dom.Attr(node, "src") ?? Dom.Attr(node, "data-src"));
        var alt = Dom.Collapse(Dom.Attr(node, "alt") ?? "");
        if (src is null)
        {
            if (alt.Length > 0)
            {
                AppendText(alt);
            }
            return;
        }
        var title = Dom.Attr(node, "title") is { } t ? MarkdownText.Title(Dom.Collapse(t)) : "";
        AppendRaw($"![{MarkdownText.EscapeInline(alt)}]({MarkdownText.Destination(src)}{title})");
    }

    private string TakeInline()
    {
        var text = _inline.ToString();
        _inline.Clear();
        _generation++;
        return text;
    }

    /// <summary>Wraps what the element produced in <paramref name="marker"/>, with edge spaces moved outside.</summary>
    private void Wrap(Frame frame, string marker)
    {
        if (frame.Generation != _generation || frame.Start > _inline.Length)
        {
            return;
        }
        var content = _inline.ToString(frame.Start, _inline.Length - frame.Start);
        var trimmed = content.Trim(' ', HardBreak);
        if (trimmed.Length == 0)
        {
            return;
        }
        var lead = content.StartsWith(' ') ? " " : "";
        var trail = content.EndsWith(' ') ? " " : "";
        _inline.Length = frame.Start;
        _inline.Append(lead).Append(marker).Append(trimmed).Append(marker).Append(trail);
    }

    private void WrapLink(HtmlNode node, Frame frame)
    {
        var href = Dom.Absolute(_base, Dom.Attr(node, "href"));
        if (href is null || frame.Generation != _generation || frame.Start > _inline.Length)
        {
            return;
        }
        var content = _inline.ToString(frame.Start, _inline.Length - frame.Start);
        var trimmed = content.Trim(' ', HardBreak).Replace(HardBreak, ' ');
        _inline.Length = frame.Start;
        if (trimmed.Length == 0)
        {
            return;
        }
        var lead = content.StartsWith(' ') ? " " : "";
        var trail = content.EndsWith(' ') ? " " : "";
        var title = Dom.Attr(node, "title") is { } t ? MarkdownText.Title(Dom.Collapse(t)) : "";
        var link = trimmed == MarkdownText.EscapeInline(href) && title.Length == 0 && !href.Contains(' ', StringComparison.Ordinal)
            ? $"<{href}>"
            : $"[{trimmed}]({MarkdownText.Destination(href)}{title})";
        _inline.Append(lead).Append(link).Append(trail);
    }

    /// <summary>Text of a subtree with whitespace kept (for code); &lt;br&gt; becomes a newline.</summary>
    private static string RawText(HtmlNode root)
    {
        var builder = new StringBuilder();
        var stack = new Stack<HtmlNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node.NodeType == HtmlNodeType.Text)
            {
                builder.Append(System.Net.WebUtility.HtmlDecode(((HtmlTextNode)node).Text));
                continue;
            }
            if (node.Name == "br")
            {
                builder.Append('\n');
            }
            for (var child = node.LastChild; child is not null; child = child.PreviousSibling)
            {
                stack.Push(child);
            }
        }
        return builder.ToString();
    }

    /// <summary>A table cell's content on one line: blocks joined with &lt;br&gt;, pipes escaped.</summary>
    private string CellText(HtmlNode cell)
    {
        Walk(cell);
        Flush();
        var lines = _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join("<br>", lines).Replace("|", "\\|", StringComparison.Ordinal);
    }
}
