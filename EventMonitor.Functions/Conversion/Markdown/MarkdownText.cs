using System.Text;

namespace EventMonitor.Functions.Conversion.Markdown;

/// <summary>Escaping that touches only what Markdown would otherwise misread.</summary>
internal static class MarkdownText
{
    /// <summary>Escapes inline specials in text taken from the page.</summary>
    public static string EscapeInline(string text) => EscapeInline(new StringBuilder(text.Length + 8), text).ToString();

    /// <summary>Appends <paramref name="text"/> to <paramref name="builder"/> with inline specials escaped.</summary>
    public static StringBuilder EscapeInline(StringBuilder builder, ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var prev = i > 0 ? text[i - 1] : ' ';
            var next = i + 1 < text.Length ? text[i + 1] : ' ';
            var escape = c switch
            {
                '\\' or '*' or '`' or '[' or ']' => true,
                // snake_case is safe in CommonMark; only an underscore at a word edge can open emphasis.
                '_' => !char.IsLetterOrDigit(prev) || !char.IsLetterOrDigit(next),
                '<' => char.IsLetter(next) || next is '/' or '!' or '?',
                '&' => LooksLikeEntity(text, i),
                '~' => next == '~',
                _ => false,
            };
            if (escape)
            {
                builder.Append('\\');
            }
            builder.Append(c);
        }
        return builder;
    }

    /// <summary>Escapes what would start a block at the beginning of a line (headings, quotes, list markers, fences).</summary>
    public static string EscapeLineStart(string line)
    {
        if (line.Length == 0)
        {
            return line;
        }
        var c = line[0];
        if (c is '#' or '>' || ((c is '-' or '+') && (line.Length == 1 || line[1] == ' ')))
        {
            return "\\" + line;
        }
        if (c == '=' && line.Trim('=').Length == 0)
        {
            return "\\" + line;
        }
        if (c == '-' && line.Replace(" ", "", StringComparison.Ordinal).Trim('-').Length == 0)
        {
            return "\\" + line;
        }
        var digits = 0;
        while (digits < line.Length && digits < 10 && char.IsAsciiDigit(line[digits]))
        {
            digits++;
        }
        if (digits > 0 && digits < line.Length && line[digits] is '.' or ')' && (digits + 1 == line.Length || line[digits + 1] == ' '))
        {
            return string.Concat(line.AsSpan(0, digits), "\\", line.AsSpan(digits));
        }
        return line;
    }

    public static string CodeSpan(string code)
    {
        var longest = LongestRun(code, '`');
        var fence = new string('`', longest + 1);
        var pad = code.StartsWith('`') || code.EndsWith('`') ? " " : "";
        return fence + pad + code + pad + fence;
    }

    public static int LongestRun(string text, char c)
    {
        int longest = 0, run = 0;
        foreach (var ch in text)
        {
            run = ch == c ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }

    /// <summary>A link destination that needs no angle brackets: spaces and parentheses percent-encoded.</summary>
    public static string Destination(string url) =>
        url.Replace(" ", "%20", StringComparison.Ordinal).Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal);

    public static string Title(string title) => " \"" + title.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static bool LooksLikeEntity(ReadOnlySpan<char> text, int at)
    {
        var end = text[at..].IndexOf(';') is var offset and >= 0 ? at + offset : -1;
        if (end < 0 || end - at > 32)
        {
            return false;
        }
        for (var i = at + 1; i < end; i++)
        {
            if (!char.IsAsciiLetterOrDigit(text[i]) && text[i] != '#')
            {
                return false;
            }
        }
        return end > at + 1;
    }
}
