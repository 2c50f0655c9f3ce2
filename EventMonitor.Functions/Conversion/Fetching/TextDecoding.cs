using System.Text;
using System.Text.RegularExpressions;

namespace EventMonitor.Functions.Conversion.Fetching;

/// <summary>Charset from the BOM, then the Content-Type header, then a <c>&lt;meta charset&gt;</c> in the first 1024 bytes; UTF-8 otherwise.</summary>
internal static partial class TextDecoding
{
    static TextDecoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static string Decode(byte[] body, string? headerCharset)
    {
        var (encoding, skip) = FromBom(body);
        encoding ??= Named(headerCharset) ?? Named(MetaCharset(body)) ?? new UTF8Encoding(false);
        return encoding.GetString(body, skip, body.Length - skip);
    }

    private static (Encoding?, int) FromBom(byte[] b) => b switch
    {
        [0xEF, 0xBB, 0xBF, ..] => (new UTF8Encoding(false), 3),
        [0xFF, 0xFE, ..] => (Encoding.Unicode, 2),
        [0xFE, 0xFF, ..] => (Encoding.BigEndianUnicode, 2),
        _ => (null, 0),
    };

    private static string? MetaCharset(byte[] body)
    {
        var head = Encoding.ASCII.GetString(body, 0, Math.Min(body.Length, 1024));
        return MetaPattern().Match(head) is { Success: true } m ? m.Groups[1].Value : null;
    }

    /// <summary>An unknown or bogus charset name falls back to UTF-8 instead of failing the page.</summary>
    private static Encoding? Named(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        try
        {
            var encoding = Encoding.GetEncoding(name.Trim().Trim('"', '\''));
            // Browsers read ISO-8859-1 as windows-1252 (WHATWG Encoding); so do we.
            return encoding.CodePage == 28591 ? Encoding.GetEncoding(1252) : encoding;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"(?i)<meta[^>]+charset\s*=\s*[""']?([A-Za-z0-9_\-:.]+)")]
    private static partial Regex MetaPattern();
}
