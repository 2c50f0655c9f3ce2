using System.Text.Json.Nodes;
using EventMonitor.Functions.Conversion.Extraction;
using EventMonitor.Functions.Conversion.Fetching;
using EventMonitor.Functions.Conversion.Markdown;
using EventMonitor.Functions.Conversion.Media;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Conversion;

internal sealed class ConversionOptions
{
    public const string Section = "Conversion";

    public bool DownloadAttachments { get; set; } = true;
    public bool FetchSubtitles { get; set; } = true;
}

/// <summary>
/// One session: fetch → extract → merge parameters → transcript and attachments → Markdown. The same
/// code serves the worker and the <c>convert</c> command; nothing in the Markdown depends on the run.
/// </summary>
internal sealed class SessionConverter(PageFetcher fetcher, SessionExtractor extractor, SubtitleSource subtitles, AttachmentProcessor attachments, IOptions<ConversionOptions> options)
{
    public const string Generator = "event-monitor/1.0";

    public async Task<ConversionOutput> ConvertAsync(ConversionInput input, IConversionSink sink, CancellationToken cancellationToken)
    {
        var page = await fetcher.FetchPageAsync(input.Url, input.Parameters.UseCache, cancellationToken);
        await sink.ReportAsync("fetched", 30, $"Fetched {page.Url} ({page.Html.Length} characters).", new JsonObject { ["url"] = page.Url.AbsoluteUri }, cancellationToken);
        return await ConvertPageAsync(input, page, sink, cancellationToken);
    }

    /// <summary>Everything after the page fetch; the benchmark and file conversions enter here.</summary>
    public async Task<ConversionOutput> ConvertPageAsync(ConversionInput input, FetchedPage page, IConversionSink sink, CancellationToken cancellationToken)
    {
        var p = input.Parameters;
        var record = ParameterMerge.Apply(extractor.Extract(page.Html, page.Url), p);
        await sink.ReportAsync("extracted", 45, $"Read the page as {record.Platform}: {record.Title}.", new JsonObject { ["platform"] = record.Platform }, cancellationToken);

        var layout = OutputLayout.For(record, p, page.Url);
        var transcript = options.Value.FetchSubtitles || !string.IsNullOrWhiteSpace(p.VideoTranscript)
            ? await LoadTranscriptAsync(record, p, sink, cancellationToken)
            : null;
        var stored = await attachments.ProcessAsync(record, layout, sink, options.Value.DownloadAttachments, p.UseCache, cancellationToken);
        var markdown = SessionRenderer.Render(record, string.IsNullOrWhiteSpace(p.TargetLanguage) ? null : p.TargetLanguage, stored, transcript);
        await sink.ReportAsync("converted", 60, $"Converted to {markdown.Length} characters of Markdown.", new JsonObject { ["path"] = layout.MarkdownPath }, cancellationToken);

        return new ConversionOutput
        {
            RelativePath = layout.MarkdownPath,
            Markdown = markdown,
            Assets = [.. stored.Select(a => a.StoragePath).OfType<string>()],
            SourceUrl = page.Url.AbsoluteUri,
            FetchedAt = page.FetchedAt,
            Generator = Generator,
        };
    }

    private async Task<string?> LoadTranscriptAsync(SessionRecord record, Jobs.JobParameters p, IConversionSink sink, CancellationToken cancellationToken)
    {
        try
        {
            return await subtitles.LoadAsync(record, p.VideoTranscript, p.UseCache, cancellationToken);
        }
        catch (ConversionException ex) when (!ex.Transient || ex.Code == "timeout")
        {
            // A missing subtitle file should not cost the whole session.
            await sink.ReportAsync("progress", 50, $"Subtitles not loaded ({ex.Code}).", null, cancellationToken);
            return null;
        }
    }
}
