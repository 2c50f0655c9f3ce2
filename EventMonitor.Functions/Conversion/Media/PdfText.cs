using System.Text;
using EventMonitor.Functions.Conversion.Markdown;
using Microsoft.Extensions.Options;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace EventMonitor.Functions.Conversion.Media;

internal sealed class PdfOptions
{
    public const string Section = "Conversion:Pdf";

    public int MaxPages { get; set; } = 100;
    public int MaxCharsPerPage { get; set; } = 10_000;
    public int MaxTotalChars { get; set; } = 200_000;
    public long MaxBytes { get; set; } = 50 * 1024 * 1024;
    public TimeSpan MaxTime { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>
/// PDF text page by page with PdfPig, bounded in pages, characters, input size and time against PDF bombs.
/// PdfPig cannot be cancelled, so a runaway parse is abandoned after <see cref="PdfOptions.MaxTime"/> and the slides stay link-only.
/// </summary>
internal sealed class PdfText(IOptions<PdfOptions> options)
{
    private readonly PdfOptions _options = options.Value;

    public async Task<IReadOnlyList<string>> PagesAsync(byte[] pdf, CancellationToken cancellationToken)
    {
        if (pdf.Length > _options.MaxBytes || pdf.Length < 8)
        {
            return [];
        }
        var work = Task.Run(() => Extract(pdf), CancellationToken.None);
        try
        {
            return await work.WaitAsync(_options.MaxTime, cancellationToken);
        }
        catch (TimeoutException)
        {
            return [];
        }
    }

    private List<string> Extract(byte[] pdf)
    {
        var pages = new List<string>();
        try
        {
            using var document = PdfDocument.Open(pdf, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
            var total = 0;
            var count = Math.Min(document.NumberOfPages, _options.MaxPages);
            for (var i = 1; i <= count && total < _options.MaxTotalChars; i++)
            {
                var text = ContentOrderTextExtractor.GetText(document.GetPage(i));
                text = text.Length > _options.MaxCharsPerPage ? text[.._options.MaxCharsPerPage] : text;
                total += text.Length;
                pages.Add(Paragraphs(text));
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A broken or hostile PDF leaves the slides as a link; the session itself still converts.
            return [];
        }
        return pages;
    }

    private static string Paragraphs(string text)
    {
        var builder = new StringBuilder();
        foreach (var block in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var line = MarkdownText.EscapeLineStart(MarkdownText.EscapeInline(Dom.Collapse(block)));
            if (line.Length > 0)
            {
                builder.Append(builder.Length > 0 ? "\n\n" : "").Append(line);
            }
        }
        return builder.Length > 0 ? builder.ToString() : "*(no text)*";
    }
}
