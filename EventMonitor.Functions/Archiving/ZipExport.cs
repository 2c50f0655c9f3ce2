using System.IO.Compression;
using System.Text;
using System.Text.Json;
using EventMonitor.Functions.Files;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using Microsoft.AspNetCore.Http.Features;

namespace EventMonitor.Functions.Archiving;

/// <summary>
/// Writes a ZIP of jobs' outputs straight to a stream, one blob at a time, so memory stays constant
/// however large the batch: each job's Markdown and assets, a manifest with provenance, and for a
/// batch an index.md by day and track.
/// </summary>
internal sealed class ZipExport(OutputStore outputs)
{
    /// <summary>Streams the ZIP as the response, named <paramref name="fileName"/>.</summary>
    public Task WriteResponseAsync(HttpContext context, string fileName, string ownerPrefix, IAsyncEnumerable<Job> jobs, string? indexTitle, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "application/zip";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        // ZipArchive writes its headers synchronously; allowing it here keeps memory flat instead of buffering the archive.
        context.Features.GetRequiredFeature<IHttpBodyControlFeature>().AllowSynchronousIO = true;
        return WriteAsync(context.Response.Body, ownerPrefix, jobs, indexTitle, cancellationToken);
    }

    public async Task WriteAsync(Stream destination, string ownerPrefix, IAsyncEnumerable<Job> jobs, string? indexTitle, CancellationToken cancellationToken)
    {
        await using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        var manifest = new List<object>();
        var index = new List<(string Day, string Track, string Title, string Path)>();
        await foreach (var job in jobs.WithCancellation(cancellationToken))
        {
            if (job.Results is null)
            {
                continue;
            }
            foreach (var path in job.Results.Assets.Prepend(job.Results.MarkdownFile))
            {
                if (!path.StartsWith(ownerPrefix, StringComparison.Ordinal) || await outputs.OpenAsync(path, cancellationToken) is not { } blob)
                {
                    continue;
                }
                await using (blob.Content)
                {
                    var entry = zip.CreateEntry(path[ownerPrefix.Length..], CompressionLevel.Fastest);
                    await using var target = await entry.OpenAsync(cancellationToken);
                    await blob.Content.CopyToAsync(target, cancellationToken);
                }
            }
            var relative = job.Results.MarkdownFile[ownerPrefix.Length..];
            index.Add((job.Parameters.Day ?? "", job.Parameters.Track ?? "", job.JobName, relative));
            manifest.Add(new
            {
                job_id = job.JobId,
                job_name = job.JobName,
                markdown_file = relative,
                assets = job.Results.Assets.Select(a => a.StartsWith(ownerPrefix, StringComparison.Ordinal) ? a[ownerPrefix.Length..] : a),
                source_url = job.Results.SourceUrl,
                content_hash = job.Results.ContentHash,
                generator = job.Results.Generator,
                fetched_at = job.Results.FetchedAt,
            });
        }
        await WriteTextAsync(zip, "manifest.json", JsonSerializer.Serialize(new { jobs = manifest }, AppJson.Options), cancellationToken);
        if (indexTitle is not null)
        {
            await WriteTextAsync(zip, "index.md", Index(indexTitle, index), cancellationToken);
        }
    }

    private static string Index(string title, List<(string Day, string Track, string Title, string Path)> entries)
    {
        var md = new StringBuilder().Append("# ").Append(title).Append("\n\n");
        foreach (var day in entries.GroupBy(e => e.Day).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            md.Append("## ").Append(day.Key.Length == 0 ? "Undated" : day.Key).Append("\n\n");
            foreach (var track in day.GroupBy(e => e.Track).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                md.Append("### ").Append(track.Key.Length == 0 ? "No track" : track.Key).Append("\n\n");
                foreach (var e in track.OrderBy(e => e.Title, StringComparer.Ordinal))
                {
                    md.Append("- [").Append(e.Title.Replace("]", "\\]", StringComparison.Ordinal)).Append("](").Append(Uri.EscapeDataString(e.Path).Replace("%2F", "/", StringComparison.Ordinal)).Append(")\n");
                }
                md.Append('\n');
            }
        }
        return md.ToString();
    }

    private static async Task WriteTextAsync(ZipArchive zip, string name, string text, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        await using var target = await entry.OpenAsync(cancellationToken);
        await target.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }
}
