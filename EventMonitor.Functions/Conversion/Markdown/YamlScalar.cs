using System.Text;
using System.Text.RegularExpressions;

namespace EventMonitor.Functions.Conversion.Markdown;

/// <summary>
/// Writes one-line YAML scalars exactly as YamlDotNet's serializer (with quoting of necessary strings)
/// would, without its per-call object-graph machinery, which cost more than the whole HTML→Markdown step.
/// Only printable, single-line text is covered; <see cref="TryAppend"/> refuses anything else, and the
/// caller then lets YamlDotNet write the document.
/// </summary>
internal static partial class YamlScalar
{
    /// <summary>Appends <paramref name="value"/> as the serializer would; false (nothing appended) when it is not covered.</summary>
    public static bool TryAppend(StringBuilder yaml, string value)
    {
        if (value.Length == 0 || !IsCovered(value))
        {
            return false;
        }
        // Strings a YAML 1.2 reader would take for null, a bool or a number are double-quoted.
        if (value.AsSpan().Trim().IsEmpty || (MayLookTyped(value[0]) && LooksTyped().IsMatch(value)))
        {
            AppendDoubleQuoted(yaml, value);
        }
        else if (IsPlainAllowed(value))
        {
            yaml.Append(value);
        }
        else if (value.Contains('\'', StringComparison.Ordinal))
        {
            AppendDoubleQuoted(yaml, value);
        }
        else
        {
            yaml.Append('\'').Append(value).Append('\'');
        }
        return true;
    }

    /// <summary>Only these first characters can start a match of <see cref="LooksTyped"/>; most values skip the regex.</summary>
    private static bool MayLookTyped(char first) =>
        char.IsAsciiDigit(first) || char.IsWhiteSpace(first) || first is 'n' or 'N' or 't' or 'T' or 'f' or 'F' or '~' or '-' or '+' or '.';

    /// <summary>Printable characters of the Basic Multilingual Plane, no tabs and no line breaks.</summary>
    private static bool IsCovered(string value)
    {
        foreach (var c in value)
        {
            if (c is < '\x20' or (> '\x7E' and < '\xA0') or (> '\uD7FF' and < '\uE000') or > '\uFFFD' or '\u2028' or '\u2029')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The emitter's plain-scalar rule for block context: no indicator where a reader would see one, no edge spaces.</summary>
    private static bool IsPlainAllowed(string value)
    {
        if (value.StartsWith("---", StringComparison.Ordinal) || value.StartsWith("...", StringComparison.Ordinal))
        {
            return false;
        }
        var first = value[0];
        var spaceAfterFirst = value.Length == 1 || value[1] == ' ';
        if (first is '#' or ',' or '[' or ']' or '{' or '}' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`' or ' '
            || (first is '?' or ':' or '-' && spaceAfterFirst)
            || value[^1] == ' ')
        {
            return false;
        }
        for (var i = 1; i < value.Length; i++)
        {
            var spaceAfter = i + 1 == value.Length || value[i + 1] == ' ';
            if ((value[i] == ':' && spaceAfter) || (value[i] == '#' && value[i - 1] == ' '))
            {
                return false;
            }
        }
        return true;
    }

    private static void AppendDoubleQuoted(StringBuilder yaml, string value)
    {
        yaml.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                yaml.Append('\\');
            }
            yaml.Append(c);
        }
        yaml.Append('"');
    }

    // YamlDotNet's pattern for strings that must be quoted (YAML 1.2 core schema).
    [GeneratedRegex(@"^(null|Null|NULL|\~|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?(\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN|\s.*)$")]
    private static partial Regex LooksTyped();
}
