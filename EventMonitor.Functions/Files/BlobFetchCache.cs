using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EventMonitor.Functions.Conversion.Fetching;
using EventMonitor.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Files;

/// <summary>
/// Fetched pages, subtitles and attachments kept in Blob Storage (container <c>Storage:CacheContainer</c>),
/// one blob per URL named by its hash, with the validators (ETag, Last-Modified) and fetch time as
/// metadata, so <c>use_cache</c> reuses them across instances and revalidates them after their age.
/// </summary>
internal sealed class BlobFetchCache(BlobServiceClient blobs, IOptions<StorageOptions> options) : IFetchCache
{
    private BlobContainerClient Container => blobs.GetBlobContainerClient(options.Value.CacheContainer);

    public async Task<FetchedResource?> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            var result = (await Container.GetBlobClient(Name(url)).DownloadContentAsync(cancellationToken)).Value;
            var meta = result.Details.Metadata;
            if (!meta.TryGetValue("url", out var stored) || Uri.UnescapeDataString(stored) != url.AbsoluteUri)
            {
                return null;
            }
            return new FetchedResource
            {
                Url = new Uri(Uri.UnescapeDataString(meta["final_url"])),
                Body = result.Content.ToArray(),
                MediaType = meta.TryGetValue("media_type", out var media) && media.Length > 0 ? media : null,
                Charset = meta.TryGetValue("charset", out var charset) && charset.Length > 0 ? charset : null,
                ETag = meta.TryGetValue("etag", out var etag) && etag.Length > 0 ? Uri.UnescapeDataString(etag) : null,
                LastModified = meta.TryGetValue("last_modified", out var modified) && modified.Length > 0 ? DateTimeOffset.Parse(modified, CultureInfo.InvariantCulture) : null,
                FetchedAt = DateTimeOffset.Parse(meta["fetched_at"], CultureInfo.InvariantCulture),
            };
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task SetAsync(Uri url, FetchedResource resource, CancellationToken cancellationToken)
    {
        // Metadata must be ASCII: URLs and ETags are stored percent-encoded.
        var metadata = new Dictionary<string, string>
        {
            ["url"] = Uri.EscapeDataString(url.AbsoluteUri),
            ["final_url"] = Uri.EscapeDataString(resource.Url.AbsoluteUri),
            ["media_type"] = resource.MediaType ?? "",
            ["charset"] = resource.Charset ?? "",
            ["etag"] = resource.ETag is null ? "" : Uri.EscapeDataString(resource.ETag),
            ["last_modified"] = resource.LastModified?.ToString("O", CultureInfo.InvariantCulture) ?? "",
            ["fetched_at"] = resource.FetchedAt.ToString("O", CultureInfo.InvariantCulture),
        };
        using var content = new MemoryStream(resource.Body);
        await Container.GetBlobClient(Name(url)).UploadAsync(content, new BlobUploadOptions { Metadata = metadata }, cancellationToken);
    }

    private static string Name(Uri url) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri))) + ".bin";
}
