using System.Globalization;
using System.Net;
using System.Xml.Linq;
using EventMonitor.Functions.Conversion;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using YamlDotNet.Serialization;

namespace EventMonitor.Tests.Conversion;

/// <summary>
/// Real data: for each event of FOSDEM 2026's schedule XML (excerpt, shared/data), a page built in
/// FOSDEM's event-page markup converts to frontmatter whose title, speakers, room and start (with
/// offset) equal the XML's.
/// </summary>
public sealed class FosdemCrossCheckTests
{
    public static TheoryData<string> EventIds() => [.. Schedule().Descendants("event").Select(e => (string)e.Attribute("id")!)];

    [Theory]
    [MemberData(nameof(EventIds))]
    public async Task Page_built_from_the_schedule_xml_carries_the_xml_facts(string id)
    {
        var e = Schedule().Descendants("event").Single(x => (string)x.Attribute("id")! == id);
        var start = DateTimeOffset.Parse((string)e.Element("date")!, CultureInfo.InvariantCulture);
        var end = start + TimeSpan.Parse((string)e.Element("duration")!, CultureInfo.InvariantCulture);
        var speakers = e.Element("persons")!.Elements("person").Select(p => p.Value).ToList();
        using var services = ConversionHarness.Services(assets: false);

        var output = await ConversionHarness.ConvertFileAsync(services.GetRequiredService<SessionConverter>(), Page(e, start, end, speakers), new Uri((string)e.Element("url")!));

        var front = Frontmatter(output.Markdown);
        Assert.Equal((string)e.Element("title")!, front["title"]);
        Assert.Equal((string)e.Element("room")!, front["room"]);
        Assert.Equal(start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), front["start"]);
        Assert.Equal(speakers, ((List<object>)front["speakers"]).Cast<string>());
        Assert.Equal((string)e.Element("track")!, front["track"]);
    }

    private static XDocument Schedule() => XDocument.Load(Path.Combine(ConversionHarness.TestDataDirectory, "fosdem-2026-schedule.excerpt.xml"));

    private static Dictionary<string, object> Frontmatter(string markdown)
    {
        var yaml = markdown.Split("---\n")[1];
        return new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(yaml);
    }

    /// <summary>The event page as FOSDEM's website template (layouts/schedule/event.html) renders it.</summary>
    private static string Page(XElement e, DateTimeOffset start, DateTimeOffset end, List<string> speakers)
    {
        static string H(string s) => WebUtility.HtmlEncode(s);
        var track = (string)e.Element("track")!;
        var room = (string)e.Element("room")!;
        var speakerRows = string.Concat(speakers.Select(s => $"<tr><td></td><td><a href=\"/2026/schedule/speaker/{H(s.ToLowerInvariant().Replace(' ', '_'))}/\">{H(s)}</a></td></tr>"));
        var links = string.Concat(e.Element("links")!.Elements("link").Select(l => $"<li><a href=\"{H((string)l.Attribute("href")!)}\">{H(l.Value)}</a></li>"));
        return $"""
            <!DOCTYPE html><html lang="en"><head><title>FOSDEM 2026 - {H((string)e.Element("title")!)}</title></head><body>
            <div id="pagetitles"><h1>{H((string)e.Element("title")!)}</h1></div>
            <ul class="side-box">
              <li><i class="icon-road"></i> <strong>Track</strong>: <a href="/2026/schedule/track/{H((string)e.Element("track")!.Attribute("slug")!)}/">{H(track)}</a></li>
              <li><i class="icon-home"></i> <strong>Room</strong>: <a href="/2026/schedule/room/{H(room.ToLowerInvariant())}/">{H(room)}</a></li>
              <li><i class="icon-calendar"></i> <strong>Day</strong>: <a href="/2026/schedule/day/saturday/">Saturday</a></li>
              <li><i class="icon-play"></i> <strong>Start</strong>: <a class="value-title" title="{start:yyyy-MM-dd'T'HH:mm:sszzz}">{start:HH:mm}</a></li>
              <li><i class="icon-stop"></i> <strong>End</strong>: <a class="value-title" title="{end:yyyy-MM-dd'T'HH:mm:sszzz}">{end:HH:mm}</a></li>
            </ul>
            <div class="event-blurb"><div class="event-abstract">{(string)e.Element("abstract")!}</div><div class="event-description">{(string)e.Element("description")!}</div></div>
            <h3>Speakers</h3><table><tbody>{speakerRows}</tbody></table>
            <h3>Links</h3><ul>{links}</ul>
            </body></html>
            """;
    }
}
