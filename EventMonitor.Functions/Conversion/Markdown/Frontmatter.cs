using System.Text;
using EventMonitor.Functions.Conversion.Extraction;
using YamlDotNet.Serialization;

namespace EventMonitor.Functions.Conversion.Markdown;

/// <summary>
/// YAML frontmatter as YamlDotNet writes it (see <see cref="YamlScalar"/>): fixed key order, single-line values only (long text
/// belongs in sections, never in the frontmatter), nothing that depends on the run.
/// </summary>
internal static class Frontmatter
{
    internal static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .WithIndentedSequences()
        .DisableAliases()
        .Build();

    /// <summary>Appends the frontmatter block, fences included, to <paramref name="md"/>.</summary>
    public static void Write(StringBuilder md, SessionRecord record, string? targetLanguage, IReadOnlyList<string> attachmentPaths)
    {
        var map = new OrderedDictionary<string, object>(StringComparer.Ordinal);
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                map[key] = Dom.Collapse(value);
            }
        }
        void AddList(string key, IEnumerable<string?> values)
        {
            var list = values.OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            if (list.Count > 0)
            {
                map[key] = list;
            }
        }
        Add("title", record.Title ?? "Untitled session");
        Add("subtitle", record.Subtitle);
        Add("event", record.Event);
        Add("track", record.Track);
        Add("date", record.Start?.Date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Add("day", record.Day);
        Add("start", record.Start?.ToString());
        Add("end", record.End?.ToString());
        Add("time_zone", record.TimeZone);
        Add("room", record.Room);
        Add("language", record.Language);
        Add("target_language", targetLanguage);
        AddList("speakers", record.Speakers.Select(s => Dom.Collapse(s.Name)));
        Add("image", record.Image);
        AddList("videos", record.Videos.Select(v => v.Url));
        AddList("attachments", attachmentPaths);
        AddList("subtitles", record.Subtitles.Select(s => s.Url));
        Add("source_url", record.SourceUrl);
        Add("platform", record.Platform);
        var start = md.Append("---\n").Length;
        if (!TryWritePlainText(md, map))
        {
            md.Length = start;
            md.Append(Serializer.Serialize(map).Replace("\r\n", "\n", StringComparison.Ordinal));
        }
        md.Append("---\n");
    }

    /// <summary>The serializer's output for maps of printable one-line strings, written directly; false when a value needs YamlDotNet.</summary>
    private static bool TryWritePlainText(StringBuilder yaml, OrderedDictionary<string, object> map)
    {
        foreach (var (key, value) in map)
        {
            yaml.Append(key).Append(':');
            if (value is List<string> items)
            {
                foreach (var item in items)
                {
                    if (!YamlScalar.TryAppend(yaml.Append("\n  - "), item))
                    {
                        return false;
                    }
                }
            }
            else if (!YamlScalar.TryAppend(yaml.Append(' '), (string)value))
            {
                return false;
            }
            yaml.Append('\n');
        }
        return true;
    }
}
