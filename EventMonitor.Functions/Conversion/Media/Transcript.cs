using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using EventMonitor.Functions.Conversion.Markdown;

namespace EventMonitor.Functions.Conversion.Media;

/// <summary>
/// WebVTT and SRT cues become paragraphs with one timestamp each: cues are joined until a pause,
/// a sentence end after enough text, or a length cap, which reads like a transcript and not like captions.
/// </summary>
internal static partial class Transcript
{
    private const int ParagraphChars = 600;
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2.5);

    public static string? FromSubtitles(string text)
    {
        var cues = Cues(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'));
        if (cues.Count == 0)
        {
            return null;
        }
        var paragraphs = new List<(TimeSpan Start, StringBuilder Text)>();
        TimeSpan lastEnd = TimeSpan.Zero;
        string? lastLine = null;
        foreach (var (start, end, line) in cues)
        {
            // Rolling captions repeat the previous line; keep each line once.
            if (line == lastLine)
            {
                lastEnd = end;
                continue;
            }
            var current = paragraphs.Count > 0 ? paragraphs[^1].Text : null;
            var sentenceEnd = current is { Length: > 200 } && current[^1] is '.' or '?' or '!';
            if (current is null || start - lastEnd > Pause || current.Length > ParagraphChars || sentenceEnd)
            {
                paragraphs.Add((start, new StringBuilder()));
            }
            var paragraph = paragraphs[^1].Text;
            if (paragraph.Length > 0)
            {
                paragraph.Append(' ');
            }
            paragraph.Append(line);
            lastEnd = end;
            lastLine = line;
        }
        return string.Join("\n\n", paragraphs.Select(p => "**" + Stamp(p.Start) + "** " + MarkdownText.EscapeInline(p.Text.ToString())));
    }

    /// <summary>A given transcript text (the <c>video_transcript</c> parameter) keeps its own paragraphs.</summary>
    public static string? FromText(string text)
    {
        var paragraphs = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => MarkdownText.EscapeLineStart(MarkdownText.EscapeInline(Dom.Collapse(p)))).Where(p => p.Length > 0);
        return string.Join("\n\n", paragraphs) is { Length: > 0 } md ? md : null;
    }

    public static bool LooksLikeSubtitles(string text) =>
        text.TrimStart('\uFEFF', ' ', '\n', '\r').StartsWith("WEBVTT", StringComparison.Ordinal) || TimingLine().IsMatch(text.Length > 4096 ? text[..4096] : text);

    private static List<(TimeSpan Start, TimeSpan End, string Text)> Cues(string text)
    {
        var cues = new List<(TimeSpan, TimeSpan, string)>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n', StringSplitOptions.TrimEntries);
            var timing = Array.FindIndex(lines, l => l.Contains("-->", StringComparison.Ordinal));
            if (timing < 0 || TimingLine().Match(lines[timing]) is not { Success: true } match)
            {
                // Header, NOTE, STYLE and REGION blocks carry no cue.
                continue;
            }
            var cueText = Dom.Collapse(WebUtility.HtmlDecode(Tags().Replace(string.Join(' ', lines.Skip(timing + 1)), "")));
            if (cueText.Length > 0)
            {
                cues.Add((Time(match.Groups[1].Value), Time(match.Groups[2].Value), cueText));
            }
        }
        return cues;
    }

    private static TimeSpan Time(string value)
    {
        var parts = value.Replace(',', '.').Split(':');
        var seconds = double.Parse(parts[^1], CultureInfo.InvariantCulture);
        var minutes = int.Parse(parts[^2], CultureInfo.InvariantCulture);
        var hours = parts.Length > 2 ? int.Parse(parts[0], CultureInfo.InvariantCulture) : 0;
        return new TimeSpan(hours, minutes, 0) + TimeSpan.FromSeconds(seconds);
    }

    private static string Stamp(TimeSpan t) => ((int)t.TotalHours).ToString("00", CultureInfo.InvariantCulture) + t.ToString("\\:mm\\:ss", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"((?:\d{1,3}:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*((?:\d{1,3}:)?\d{1,2}:\d{2}[.,]\d{1,3})")]
    private static partial Regex TimingLine();

    [GeneratedRegex(@"<[^>]{0,200}>")]
    private static partial Regex Tags();
}
