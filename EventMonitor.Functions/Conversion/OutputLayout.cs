using EventMonitor.Functions.Conversion.Extraction;
using EventMonitor.Functions.Jobs;

namespace EventMonitor.Functions.Conversion;

/// <summary>Contract §5: <c>&lt;event&gt;/&lt;lang&gt;/&lt;track&gt;/&lt;file&gt;.md</c> and <c>&lt;event&gt;/assets/&lt;session&gt;/</c>, all slug-based.</summary>
internal sealed record OutputLayout
{
    public required string MarkdownPath { get; init; }
    public required string AssetFolder { get; init; }

    /// <summary>From the Markdown file's folder back to the event folder (three levels up).</summary>
    public string AssetLink(string fileName) => "../../../" + AssetFolder + fileName;

    public static OutputLayout For(SessionRecord record, JobParameters parameters, Uri pageUrl)
    {
        var eventSlug = Slug.From(record.Event ?? pageUrl.Host, "event");
        var given = string.IsNullOrWhiteSpace(parameters.Filename) ? null : parameters.Filename.Trim();
        var file = given is null
            ? Slug.From(record.Title, "session") + ".md"
            : given.EndsWith(".md", StringComparison.Ordinal) && IsPlainFileName(given) ? given : Slug.From(given.EndsWith(".md", StringComparison.Ordinal) ? given[..^3] : given, "session") + ".md";
        var session = Slug.From(file[..^3], "session");
        return new OutputLayout
        {
            MarkdownPath = $"{eventSlug}/{Slug.From(record.Language, "und")}/{Slug.From(record.Track, "general")}/{file}",
            AssetFolder = $"{eventSlug}/assets/{session}/",
        };
    }

    /// <summary>A given name is used as is only when it cannot leave its folder or break a blob name.</summary>
    private static bool IsPlainFileName(string name) =>
        name.Length <= 200 && !name.StartsWith('.') && name.IndexOfAny(['/', '\\', ':', '?', '#', '\0']) < 0 && !name.Any(char.IsControl);
}
