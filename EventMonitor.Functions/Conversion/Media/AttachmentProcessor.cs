using EventMonitor.Functions.Conversion.Extraction;
using EventMonitor.Functions.Conversion.Fetching;
using EventMonitor.Functions.Conversion.Markdown;

namespace EventMonitor.Functions.Conversion.Media;

/// <summary>
/// Downloads attachments (slides, papers) into the session's asset folder through the sink and links
/// them relative to the Markdown file; PDFs also give their text to the Slides section. Videos and
/// speaker photos stay links. A failed download keeps the original link instead of failing the session.
/// </summary>
internal sealed class AttachmentProcessor(PageFetcher fetcher, PdfText pdf)
{
    private const int MaxAttachments = 10;

    public async Task<List<RenderedAttachment>> ProcessAsync(SessionRecord record, OutputLayout layout, IConversionSink sink, bool download, bool useCache, CancellationToken cancellationToken)
    {
        var result = new List<RenderedAttachment>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attachment in record.Attachments.DistinctBy(a => a.Url).Take(MaxAttachments))
        {
            var title = attachment.Title ?? FileName(attachment.Url);
            if (!download || !Uri.TryCreate(attachment.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                result.Add(new RenderedAttachment { Title = title, Link = attachment.Url });
                continue;
            }
            try
            {
                var resource = await fetcher.FetchAsync(url, FetchPurpose.Attachment, useCache, cancellationToken);
                var name = Unique(SafeName(FileName(resource.Url.AbsoluteUri)), used);
                string storagePath;
                using (var content = new MemoryStream(resource.Body, writable: false))
                {
                    storagePath = await sink.SaveAssetAsync(layout.AssetFolder + name, content, resource.MediaType ?? "application/octet-stream", cancellationToken);
                }
                var isPdf = resource.MediaType == "application/pdf" || name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase);
                result.Add(new RenderedAttachment
                {
                    Title = title,
                    Link = layout.AssetLink(name),
                    StoredPath = layout.AssetFolder + name,
                    StoragePath = storagePath,
                    SlidePages = isPdf ? await pdf.PagesAsync(resource.Body, cancellationToken) : [],
                });
            }
            catch (ConversionException ex) when (!ex.Transient || ex.Code == "timeout")
            {
                await sink.ReportAsync("progress", 70, $"Attachment {attachment.Url} not stored ({ex.Code}); linked instead.", null, cancellationToken);
                result.Add(new RenderedAttachment { Title = title, Link = attachment.Url });
            }
        }
        return result;
    }

    private static string FileName(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && Path.GetFileName(uri.AbsolutePath) is { Length: > 0 } name ? Uri.UnescapeDataString(name) : "attachment";

    /// <summary>Blob-safe: the slug of the stem plus a short alphanumeric extension.</summary>
    private static string SafeName(string name)
    {
        var dot = name.LastIndexOf('.');
        var extension = dot > 0 && name.Length - dot <= 6 && name[(dot + 1)..].All(char.IsAsciiLetterOrDigit) ? name[dot..].ToLowerInvariant() : "";
        return Slug.From(dot > 0 ? name[..dot] : name, "attachment") + extension;
    }

    private static string Unique(string name, HashSet<string> used)
    {
        var candidate = name;
        for (var i = 2; !used.Add(candidate); i++)
        {
            var dot = name.LastIndexOf('.');
            candidate = dot > 0 ? $"{name[..dot]}-{i}{name[dot..]}" : $"{name}-{i}";
        }
        return candidate;
    }
}
