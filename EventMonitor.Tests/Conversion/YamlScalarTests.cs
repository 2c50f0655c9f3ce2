using System.Text;
using EventMonitor.Functions.Conversion.Markdown;
using Xunit;

namespace EventMonitor.Tests.Conversion;

/// <summary>
/// The frontmatter's direct scalar writer against YamlDotNet's serializer (the frontmatter's own
/// configuration): wherever the writer takes a string, both write the same bytes, as a mapping value
/// and as a sequence item. Random strings lean on what YAML treats specially.
/// </summary>
public sealed class YamlScalarTests
{
    private static readonly string[] Pieces =
    [
        "a", "Z", "7", "0", " ", " ", "-", "--", "---", ".", "...", ":", ": ", "#", " #", "?", "'", "\"", "\\", ",", "[", "]", "{", "}",
        "&", "*", "!", "|", ">", "%", "@", "`", "~", "+", "=", "/", "(", ")", "_", "e", "E", "x", "o", "0x1F", "0o17", "1.5", ".5",
        "1e3", "-2", "+3", ".inf", ".NaN", "null", "Null", "~", "true", "False", "yes", "no", "on", "y", "\u00A0", "\u2003", "\u3000",
        "ß", "é", "日本", "\uFEFF", "\uD83D\uDE00", "\t", "\n", "\r\n", "\u0085", "\u2028", "\u0001", "\u007F", "\u0090", "\uFFFE",
        "https://example.org/a?b=c#d", "2025-02-01", "10:30", "2025-02-01T10:30:00+01:00",
    ];

    [Fact]
    public void Writes_what_the_serializer_writes_for_every_string_it_takes()
    {
        var random = new Random(20261127);
        var taken = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var value = string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            var scalar = new StringBuilder();
            if (!YamlScalar.TryAppend(scalar, value))
            {
                Assert.Equal(0, scalar.Length);
                continue;
            }
            taken++;
            Assert.Equal(Serialize(new Dictionary<string, object> { ["key"] = value }), $"key: {scalar}\n");
            Assert.Equal(Serialize(new Dictionary<string, object> { ["key"] = new List<string> { value } }), $"key:\n  - {scalar}\n");
        }
        // Most strings (all but those with control characters, line breaks or characters beyond the BMP) are written directly.
        Assert.InRange(taken, 12_000, 20_000);
    }

    [Theory]
    [InlineData("Reproducible builds for everyone")]
    [InlineData("https://fosdem.org/2025/schedule/event/fosdem-2025-6713-closing-fosdem-2025/")]
    [InlineData("2025-02-01T10:30:00+01:00")]
    [InlineData("Ünïcödé 日本語 talk")]
    public void Takes_ordinary_session_values(string value)
    {
        var scalar = new StringBuilder();
        Assert.True(YamlScalar.TryAppend(scalar, value));
        Assert.Equal(Serialize(new Dictionary<string, object> { ["key"] = value }), $"key: {scalar}\n");
    }

    private static string Serialize(object map) => Frontmatter.Serializer.Serialize(map).Replace("\r\n", "\n", StringComparison.Ordinal);
}
