using System.Net;
using System.Text;
using HtmlAgilityPack;

namespace EventMonitor.Functions.Conversion.Markdown;

/// <summary>
/// HTML→Markdown on HtmlAgilityPack with an explicit stack (never recursion): block structure goes
/// through a container stack (quotes, list items) that builds each line's prefix; inline content
/// collects in one buffer per paragraph and is wrapped in place when its element closes.
/// </summary>
internal sealed partial class MarkdownWriter
{
    private const char HardBreak = '\n';
    private const int MaxTableDepth = 3;

    private readonly Uri _base;
    private readonly int _tableDepth;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _inline = new();
    private readonly List<Container> _containers = [];
    private char[] _text = [];
    private bool _pendingBlank;
    private int _generation;

    private MarkdownWriter(Uri baseUri, int tableDepth)
    {
        _base = baseUri;
        _tableDepth = tableDepth;
    }

    /// <summary>Converts the node's content (or the node itself when it is an element) to Markdown blocks, trimmed.</summary>
    public static string Convert(HtmlNode node, Uri baseUri) => new MarkdownWriter(baseUri, 0).Run(node);

    private string Run(HtmlNode root)
    {
        Walk(root);
        Flush();
        return _out.ToString().Trim();
    }

    private void Walk(HtmlNode root)
    {
        var stack = new Stack<Frame>();
        stack.Push(new Frame(root, false, 0, 0, 0));
        while (stack.Count > 0)
        {
            var frame = stack.Pop();
            if (frame.Exit)
            {
                Exit(frame);
                continue;
            }
            var node = frame.Node;
            switch (node.NodeType)
            {
                case HtmlNodeType.Text:
                    AppendText(WebUtility.HtmlDecode(((HtmlTextNode)node).Text));
                    continue;
                case HtmlNodeType.Comment:
                    continue;
            }
            if (Skipped.Contains(node.Name) || IsHidden(node))
            {
                continue;
            }
            if (!Enter(node, frame.Depth))
            {
                continue;
            }
            stack.Push(frame with { Exit = true, Start = _inline.Length, Generation = _generation });
            for (var child = node.LastChild; child is not null; child = child.PreviousSibling)
            {
                stack.Push(new Frame(child, false, frame.Depth + 1, 0, 0));
            }
        }
    }

    /// <summary>Handles an opening tag; false when the element was consumed whole (no children to walk).</summary>
    private bool Enter(HtmlNode node, int depth)
    {
        if (depth > Dom.MaxDepth)
        {
            AppendText(Dom.Text(node) + " ");
            return false;
        }
        switch (node.Name)
        {
            case "br":
                _inline.Append(HardBreak);
                return false;
            case "hr":
                Flush();
                BlankBefore();
                EmitLine("---");
                _pendingBlank = true;
                return false;
            case "img":
                AppendImage(node);
                return false;
            case "pre":
                Flush();
                EmitFence(node);
                return false;
            case "code" or "kbd" or "samp" or "tt":
                AppendRaw(MarkdownText.CodeSpan(Dom.Collapse(RawText(node))));
                return false;
            case "table" when _tableDepth < MaxTableDepth && TableWriter.IsDataTable(node):
                Flush();
                BlankBefore();
                foreach (var line in TableWriter.Write(node, cell => new MarkdownWriter(_base, _tableDepth + 1).CellText(cell)))
                {
                    EmitLine(line);
                }
                _pendingBlank = true;
                return false;
            case "ul" or "ol":
                Flush();
                if (_containers.Any(c => c.Kind == ContainerKind.ListItem))
                {
                    _pendingBlank = false;
                }
                else
                {
                    BlankBefore();
                }
                _containers.Add(new Container(node.Name == "ol" ? ContainerKind.OrderedList : ContainerKind.BulletList) { Counter = StartNumber(node) });
                return true;
            case "li":
                Flush();
                var list = _containers.LastOrDefault(c => c.Kind is ContainerKind.BulletList or ContainerKind.OrderedList);
                var marker = list?.Kind == ContainerKind.OrderedList ? $"{list.Counter++}." : "-";
                _containers.Add(new Container(ContainerKind.ListItem) { Marker = marker });
                _pendingBlank = false;
                return true;
            case "blockquote":
                Flush();
                BlankBefore();
                _containers.Add(new Container(ContainerKind.Quote));
                return true;
        }
        if (Headings.TryGetValue(node.Name, out _) || Blocks.Contains(node.Name))
        {
            Flush();
        }
        return true;
    }

    private void Exit(Frame frame)
    {
        var node = frame.Node;
        var name = node.Name;
        if (Headings.TryGetValue(name, out var level))
        {
            var text = TakeInline().Replace(HardBreak, ' ').Trim();
            if (text.Length > 0)
            {
                BlankBefore();
                EmitLine(new string('#', level) + " " + text);
                _pendingBlank = true;
            }
            return;
        }
        switch (name)
        {
            case "a":
                WrapLink(node, frame);
                return;
            case "em" or "i" or "cite" or "dfn" or "var":
                // Right after a closing ** a third * would be misread; underscore emphasis is unambiguous there.
                Wrap(frame, frame.Start > 0 && frame.Start <= _inline.Length && _inline[frame.Start - 1] == '*' ? "_" : "*");
                return;
            case "strong" or "b":
                Wrap(frame, "**");
                return;
            case "del" or "s" or "strike":
                Wrap(frame, "~~");
                return;
            case "dt":
                Wrap(frame, "**");
                Flush();
                return;
            case "ul" or "ol":
                Flush();
                Pop(name == "ol" ? ContainerKind.OrderedList : ContainerKind.BulletList);
                _pendingBlank = !_containers.Any(c => c.Kind == ContainerKind.ListItem);
                return;
            case "li":
                Flush();
                Pop(ContainerKind.ListItem);
                _pendingBlank = false;
                return;
            case "blockquote":
                Flush();
                Pop(ContainerKind.Quote);
                _pendingBlank = true;
                return;
        }
        if (Blocks.Contains(name))
        {
            Flush();
        }
    }

    private void Pop(ContainerKind kind)
    {
        var index = _containers.FindLastIndex(c => c.Kind == kind);
        if (index >= 0)
        {
            _containers.RemoveRange(index, _containers.Count - index);
        }
    }

    private static int StartNumber(HtmlNode list) =>
        int.TryParse(list.GetAttributeValue("start", "1"), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var start) && start is >= 0 and < 1_000_000_000 ? start : 1;

    private static bool IsHidden(HtmlNode node) =>
        node.Attributes.Contains("hidden") || node.GetAttributeValue("aria-hidden", "") == "true"
        || node.GetAttributeValue("style", "").Replace(" ", "", StringComparison.Ordinal).Contains("display:none", StringComparison.OrdinalIgnoreCase);

    private record struct Frame(HtmlNode Node, bool Exit, int Depth, int Start, int Generation);
}
