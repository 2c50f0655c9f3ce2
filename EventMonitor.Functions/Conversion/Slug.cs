using System.Globalization;
using System.Text;

namespace EventMonitor.Functions.Conversion;

/// <summary>Deterministic, Unicode-aware slugs that are safe as blob names.</summary>
internal static class Slug
{
    public const int MaxLength = 80;

    public static string From(string? text, string fallback)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        var dash = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
                dash = false;
            }
            else if (!dash && builder.Length > 0)
            {
                builder.Append('-');
                dash = true;
            }
            if (builder.Length >= MaxLength)
            {
                break;
            }
        }
        var slug = builder.ToString().Trim('-').Normalize(NormalizationForm.FormC);
        return slug.Length == 0 ? fallback : slug;
    }
}
