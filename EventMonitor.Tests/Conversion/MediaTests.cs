using System.Text;
using EventMonitor.Functions.Conversion;
using EventMonitor.Functions.Conversion.Media;
using EventMonitor.Functions.Jobs;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using Xunit;

namespace EventMonitor.Tests.Conversion;

/// <summary>The whole worker path against a local server: page, subtitles, slides PDF stored through the sink.</summary>
public sealed class MediaTests : IDisposable
{
    private const string Vtt = "WEBVTT\n\nNOTE produced by hand\n\n1\n00:00:01.000 --> 00:00:03.000\n<v Ada>Welcome to the talk.\n\n00:00:03.500 --> 00:00:05.000\nToday: builds.\n\n00:00:12.000 --> 00:00:14.000\nAfter a pause, a new paragraph.\n";
    private readonly PageServer _server = new();
    private readonly ServiceProvider _services;

    public MediaTests()
    {
        _services = ConversionHarness.Services(_server.Origin);
        _server.Map("/talk.vtt", "text/vtt", Encoding.UTF8.GetBytes(Vtt));
        _server.Map("/talk.thumbnails.vtt", "text/vtt", Encoding.UTF8.GetBytes("WEBVTT\n\n00:00:00.000 --> 00:00:10.000\nsprite.jpg#xywh=0,0,160,90\n"));
        _server.Map("/slides.pdf", "application/pdf", Pdf("First slide text", "Second slide text"));
    }

    private string Page => $"""
        <html lang="en"><head><title>FOSDEM 2026 - Media</title></head><body>
        <div id="pagetitles"><h1>Media talk</h1></div>
        <ul class="side-box"><li><strong>Track</strong>: <a href="/t/">Main Track</a></li><li><strong>Start</strong>: <a class="value-title" title="2026-01-31T10:00:00+01:00">10:00</a></li></ul>
        <div class="event-blurb"><div class="event-abstract"><p>Abstract.</p></div></div>
        <div class="video"><video><source src="{_server.Origin}/talk.webm" type="video/webm"/><track kind="metadata" src="/talk.thumbnails.vtt"/><track kind="subtitles" srclang="en" src="/talk.vtt"/></video></div>
        <h3>Attachments</h3><ul class="event-attachments"><li><a href="/slides.pdf">Slides (pdf)</a></li></ul>
        </body></html>
        """;

    [Fact]
    public async Task Subtitles_become_a_timestamped_transcript_and_slides_are_stored_and_extracted()
    {
        _server.MapHtml("/2026/schedule/event/media/", Page);
        var sink = new RecordingSink();

        var output = await Convert(_server.Url("/2026/schedule/event/media/"), new JobParameters(), sink);

        Assert.Contains("## Transcript\n\n**00:00:01** Welcome to the talk. Today: builds.\n\n**00:00:12** After a pause, a new paragraph.\n", output.Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("sprite.jpg", output.Markdown, StringComparison.Ordinal);
        var asset = Assert.Single(sink.Assets);
        Assert.Equal("fosdem-2026/assets/media-talk/slides.pdf", asset.Key);
        Assert.Equal(["jobs/test/fosdem-2026/assets/media-talk/slides.pdf"], output.Assets);
        Assert.Contains("- [Slides (pdf)](../../../fosdem-2026/assets/media-talk/slides.pdf)", output.Markdown, StringComparison.Ordinal);
        Assert.Contains("## Slides\n\n### Page 1\n\nFirst slide text\n\n### Page 2\n\nSecond slide text\n", output.Markdown, StringComparison.Ordinal);
        Assert.Equal(["fetched", "extracted", "converted"], sink.Reports.Select(r => r.Step));
    }

    [Fact]
    public async Task A_given_video_transcript_wins_over_subtitle_files()
    {
        _server.MapHtml("/2026/schedule/event/media2/", Page);

        var output = await Convert(_server.Url("/2026/schedule/event/media2/"), new JobParameters { VideoTranscript = "Given first paragraph.\n\nGiven second." }, new RecordingSink());

        Assert.Contains("## Transcript\n\nGiven first paragraph.\n\nGiven second.\n", output.Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Welcome to the talk", output.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_media_ccc_de_event_answer_leads_to_its_srt_subtitles()
    {
        var json = await File.ReadAllTextAsync(Path.Combine(ConversionHarness.TestDataDirectory, "mediacccde-api-event-36c3-private-messaging.json"), TestContext.Current.CancellationToken);
        Assert.EndsWith(".en.srt", SubtitleSource.FromApi(json, "en"));

        var local = json.Replace("https://cdn.media.ccc.de/congress/2019/36c3-10565-eng-deu-fra-Whats_left_for_private_messaging.en.srt", _server.Origin + "/talk.srt", StringComparison.Ordinal);
        _server.Map("/api/event.json", "application/json", Encoding.UTF8.GetBytes(local));
        _server.Map("/talk.srt", "application/x-subrip", Encoding.UTF8.GetBytes("1\r\n00:00:02,000 --> 00:00:04,000\r\nHello from SRT.\r\n\r\n2\r\n00:00:04,100 --> 00:00:05,000\r\nSecond cue.\r\n"));
        _server.MapHtml("/2026/schedule/event/media3/", Page);

        var output = await Convert(_server.Url("/2026/schedule/event/media3/"), new JobParameters { SubtitlesUrl = _server.Origin + "/api/event.json" }, new RecordingSink());

        Assert.Contains("## Transcript\n\n**00:00:02** Hello from SRT. Second cue.\n", output.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pdf_bomb_of_many_pages_is_cut_at_the_page_limit()
    {
        var pdf = new PdfText(Microsoft.Extensions.Options.Options.Create(new PdfOptions { MaxPages = 3 }));
        var pages = await pdf.PagesAsync(Pdf([.. Enumerable.Range(1, 40).Select(i => $"Page {i}")]), TestContext.Current.CancellationToken);
        Assert.Equal(3, pages.Count);
        Assert.Empty(await pdf.PagesAsync("%PDF-1.7\n1 0 obj << /Length 999999999 /Filter /FlateDecode >> stream\nxx"u8.ToArray(), TestContext.Current.CancellationToken));
    }

    private Task<ConversionOutput> Convert(Uri url, JobParameters parameters, RecordingSink sink) =>
        _services.GetRequiredService<SessionConverter>().ConvertAsync(new ConversionInput { Url = url, Parameters = parameters with { Url = url.AbsoluteUri } }, sink, TestContext.Current.CancellationToken);

    private static byte[] Pdf(params string[] pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var text in pages)
        {
            builder.AddPage(PageSize.A4).AddText(text, 12, new UglyToad.PdfPig.Core.PdfPoint(50, 700), font);
        }
        return builder.Build();
    }

    public void Dispose()
    {
        _services.Dispose();
        _server.Dispose();
    }
}
