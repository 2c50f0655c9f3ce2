using System.Net;
using System.Text;
using HtmlAgilityPack;

namespace EventMonitor.Functions.Conversion.Markdown;

/// <summary>
/// Tree helpers that never recurse: hostile pages nest 10,000 deep and a StackOverflow kills the process.
/// </summary>
internal static class Dom
{
    /// <summary>Deeper elements are flattened to their text, so every later walk (ours, XPath, SmartReader) stays shallow.</summary>
    public const int MaxDepth = 200;

    public static HtmlDocument Parse(string html)
    {
        // Our own index (PageContext) replaces HtmlAgilityPack's id table, and a string has no encoding to sniff.
        var document = new HtmlDocument { OptionCheckSyntax = false, OptionAutoCloseOnEnd = true, OptionUseIdAttribute = false, OptionReadEncoding = false };
        document.LoadHtml(html);
        Flatten(document.DocumentNode, MaxDepth);
        return document;
    }

    /// <summary>Replaces the children of every element at <paramref name="maxDepth"/> with their text; returns the node count.</summary>
    public static int Flatten(HtmlNode root, int maxDepth)
    {
        var count = 0;
        var depth = 0;
        for (HtmlNode? node = root; node is not null;)
        {
            count++;
            if (depth >= maxDepth && node.HasChildNodes)
            {
                var text = Text(node);
                node.RemoveAllChildren();
                node.AppendChild(node.OwnerDocument.CreateTextNode(WebUtility.HtmlEncode(text)));
            }
            else if (node.FirstChild is { } child)
            {
                node = child;
                depth++;
                continue;
            }
            // Up to the nearest ancestor (or the node itself) with a next sibling; the walk ends at the root.
            while (node is not null && node != root && node.NextSibling is null)
            {
                node = node.ParentNode;
                depth--;
            }
            node = node is null || node == root ? null : node.NextSibling;
        }
        return count;
    }

    /// <summary>The decoded text of a subtree, whitespace collapsed; scripts and styles skipped.</summary>
    public static string Text(HtmlNode? node)
    {
        if (node is null)
        {
            return "";
        }
        // Collapsed while appending: every text node and <br> ends in a space, runs become one, edges are trimmed.
        var builder = new StringBuilder();
        var space = false;
        for (var current = node; current is not null;)
        {
            var descend = false;
            if (current.NodeType == HtmlNodeType.Text)
            {
                AppendCollapsed(builder, WebUtility.HtmlDecode(((HtmlTextNode)current).Text), space);
                space = builder.Length > 0;
            }
            else if (current.NodeType != HtmlNodeType.Comment && current.Name is not ("script" or "style" or "template" or "noscript"))
            {
                space |= current.Name == "br" && builder.Length > 0;
                descend = true;
            }
            current = Next(current, node, descend);
        }
        return builder.ToString();
    }

    /// <summary>
    /// The node after <paramref name="node"/> in document order within <paramref name="root"/> (its first
    /// child when <paramref name="descend"/>), or null: a walk that needs neither recursion nor a stack.
    /// </summary>
    public static HtmlNode? Next(HtmlNode node, HtmlNode root, bool descend)
    {
        if (descend && node.FirstChild is { } child)
        {
            return child;
        }
        for (HtmlNode? current = node; current is not null && current != root; current = current.ParentNode)
        {
            if (current.NextSibling is { } sibling)
            {
                return sibling;
            }
        }
        return null;
    }

    public static string? TextOrNull(HtmlNode? node) => Text(node) is { Length: > 0 } text ? text : null;

    /// <summary>Collapses whitespace runs (incl. no-break spaces) to one space and trims.</summary>
    public static string Collapse(string text)
    {
        if (IsCollapsed(text))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        AppendCollapsed(builder, text, space: false);
        return builder.ToString();
    }

    /// <summary>
    /// Appends text with each whitespace run as one space, none at the start of the builder; a run at the
    /// end is only pending (returned true) so the next non-space character decides. <paramref name="space"/>
    /// is a run pending from earlier text.
    /// </summary>
    private static bool AppendCollapsed(StringBuilder builder, string text, bool space)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
            builder.Append(c);
        }
        return space;
    }

    /// <summary>True when <see cref="Collapse"/> would return the text unchanged (most page text already is), so it need not be copied.</summary>
    private static bool IsCollapsed(string text)
    {
        if (text.Length > 0 && (text[0] == ' ' || text[^1] == ' '))
        {
            return false;
        }
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == ' ' ? text[i + 1] == ' ' : char.IsWhiteSpace(c))
            {
                return false;
            }
        }
        return true;
    }

    public static string? Attr(HtmlNode? node, string name) =>
        node?.GetAttributeValue(name, null) is { } value && WebUtility.HtmlDecode(value).Trim() is { Length: > 0 } decoded ? decoded : null;

    public static bool HasClass(HtmlNode node, string name)
    {
        var value = node.GetAttributeValue("class", null);
        if (value is null)
        {
            return false;
        }
        foreach (var range in ClassNames(value))
        {
            if (value.AsSpan(range).SequenceEqual(name))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Where each name of a <c>class</c> attribute sits (names are separated by any whitespace).</summary>
    public static IEnumerable<Range> ClassNames(string classes)
    {
        var start = -1;
        for (var i = 0; i <= classes.Length; i++)
        {
            var separator = i == classes.Length || char.IsWhiteSpace(classes[i]);
            if (separator && start >= 0)
            {
                yield return start..i;
                start = -1;
            }
            else if (!separator && start < 0)
            {
                start = i;
            }
        }
    }

    /// <summary>Descendant elements in document order, iteratively.</summary>
    public static IEnumerable<HtmlNode> Elements(HtmlNode root)
    {
        for (var node = root.FirstChild; node is not null;)
        {
            var element = node.NodeType == HtmlNodeType.Element;
            if (element)
            {
                yield return node;
            }
            node = Next(node, root, element);
        }
    }

    public static HtmlNode? First(HtmlNode? root, Func<HtmlNode, bool> predicate)
    {
        for (var node = root?.FirstChild; node is not null;)
        {
            var element = node.NodeType == HtmlNodeType.Element;
            if (element && predicate(node))
            {
                return node;
            }
            node = Next(node, root!, element);
        }
        return null;
    }

    public static IEnumerable<HtmlNode> All(HtmlNode? root, string tag) =>
        root is null ? [] : Elements(root).Where(n => n.Name == tag);

    /// <summary>Resolves a link against the page (or its base href); null for script and data URLs.</summary>
    public static string? Absolute(Uri baseUri, string? href)
    {
        if (string.IsNullOrWhiteSpace(href))
        {
            return null;
        }
        href = href.Trim();
        if (!Uri.TryCreate(baseUri, href, out var uri))
        {
            return null;
        }
        return uri.Scheme is "http" or "https" or "mailto" or "ftp" ? uri.AbsoluteUri : null;
    }
}
