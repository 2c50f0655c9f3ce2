using EventMonitor.Functions.Conversion.Extraction;
using EventMonitor.Functions.Jobs;
using Xunit;

namespace EventMonitor.Tests.Conversion;

public sealed class ParameterMergeTests
{
    private static readonly SessionRecord Page = new()
    {
        SourceUrl = "https://fosdem.org/2026/schedule/event/x/",
        Platform = "fosdem",
        Title = "Page title",
        Track = "Page track",
        Start = SessionTime.Parse("2026-01-31T10:00:00+01:00"),
        Speakers = [new Speaker { Name = "Ada Example", Bio = "Bio from the page." }],
    };

    [Fact]
    public void Given_values_override_the_page()
    {
        var merged = ParameterMerge.Apply(Page, new JobParameters { Session = "Given title", Track = "Given track", Speakers = ["ada example", "New Person"] });
        Assert.Equal("Given title", merged.Title);
        Assert.Equal("Given track", merged.Track);
        Assert.Equal(["ada example", "New Person"], merged.Speakers.Select(s => s.Name));
        Assert.Equal("Bio from the page.", merged.Speakers[0].Bio);
    }

    [Fact]
    public void Empty_values_mean_not_given()
    {
        var merged = ParameterMerge.Apply(Page, new JobParameters { Session = "", Track = "  ", Speakers = [] });
        Assert.Equal(Page.Title, merged.Title);
        Assert.Equal(Page.Track, merged.Track);
        Assert.Equal(Page.Speakers, merged.Speakers);
    }

    [Fact]
    public void A_floating_time_never_replaces_an_exact_page_time()
    {
        var merged = ParameterMerge.Apply(Page, new JobParameters { Day = "Sunday", Starttime = "17:50" });
        Assert.Equal("2026-01-31T10:00:00+01:00", merged.Start!.ToString());
        Assert.Equal("Sunday", merged.Day);
    }

    [Fact]
    public void A_floating_time_fills_a_gap()
    {
        var merged = ParameterMerge.Apply(Page with { Start = null }, new JobParameters { Starttime = "17:50", Endtime = "18:20" });
        Assert.Equal("17:50", merged.Start!.ToString());
        Assert.Equal("18:20", merged.End!.ToString());
    }

    [Fact]
    public void An_exact_given_time_wins()
    {
        var merged = ParameterMerge.Apply(Page, new JobParameters { Starttime = "2026-02-01T11:00:00+01:00" });
        Assert.Equal("2026-02-01T11:00:00+01:00", merged.Start!.ToString());
    }

    [Theory]
    [InlineData("talk.md", "talk.md")]
    [InlineData("My Talk", "my-talk.md")]
    [InlineData("../escape.md", "escape.md")]
    public void The_file_name_parameter_is_used_as_is_only_when_it_is_a_plain_md_name(string given, string expected)
    {
        var layout = Functions.Conversion.OutputLayout.For(Page with { Event = "FOSDEM 2026", Language = "en" }, new JobParameters { Filename = given }, new Uri(Page.SourceUrl));
        Assert.Equal($"fosdem-2026/en/page-track/{expected}", layout.MarkdownPath);
    }
}
