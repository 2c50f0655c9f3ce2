using System.Globalization;
using EventMonitor.Functions.Jobs;

namespace EventMonitor.Functions.Conversion.Extraction;

/// <summary>
/// Contract §2: given parameters override the page, except that a time without a date or offset
/// (<c>day: "Sunday"</c>, <c>starttime: "17:50"</c>) only fills a gap and never replaces a time the page gives.
/// </summary>
internal static class ParameterMerge
{
    public static SessionRecord Apply(SessionRecord page, JobParameters given)
    {
        var givenDate = DateOnly.TryParseExact(Given(given.Day), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null;
        var merged = page with
        {
            Event = Given(given.Event) ?? page.Event,
            Title = Given(given.Session) ?? page.Title,
            Track = Given(given.Track) ?? page.Track,
            Language = Given(given.SourceLanguage) ?? page.Language,
            Day = givenDate is null ? page.Day ?? Given(given.Day) : page.Day,
            Start = Time(page.Start, given.Starttime, givenDate),
            End = Time(page.End, given.Endtime, givenDate ?? page.Start?.Date),
            Speakers = Speakers(page.Speakers, given.Speakers),
            Videos = Given(given.VideoUrl) is { } video ? [new LinkRef { Url = video, Title = "Video" }] : page.Videos,
            Attachments = Given(given.AttachmentsUrl) is { } attachment ? [new LinkRef { Url = attachment }] : page.Attachments,
            Subtitles = Given(given.SubtitlesUrl) is { } subtitles ? [new LinkRef { Url = subtitles }] : page.Subtitles,
        };
        return merged;
    }

    private static SessionTime? Time(SessionTime? page, string? given, DateOnly? givenDate)
    {
        var parsed = SessionTime.Parse(Given(given), givenDate ?? page?.Date);
        if (parsed is null)
        {
            return givenDate is { } date && page is { IsExact: false } ? page with { Date = date } : page;
        }
        if (parsed.IsExact || page is null)
        {
            return parsed;
        }
        return page;
    }

    /// <summary>The caller's names win and set the order; what the page knows about each name (bio, photo) is kept.</summary>
    private static IReadOnlyList<Speaker> Speakers(IReadOnlyList<Speaker> page, IReadOnlyList<string> given)
    {
        var names = given.Select(Given).OfType<string>().ToList();
        if (names.Count == 0)
        {
            return page;
        }
        return [.. names.Select(name => page.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) is { } known ? known with { Name = name } : new Speaker { Name = name })];
    }

    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
