using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EventMonitor.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Files;

/// <summary>Outputs in Blob Storage under an owner prefix: <c>batches/&lt;id&gt;/</c> or <c>jobs/&lt;id&gt;/</c>.</summary>
internal sealed class OutputStore(BlobServiceClient blobs, IOptions<StorageOptions> options)
{
    private BlobContainerClient Container => blobs.GetBlobContainerClient(options.Value.OutputContainer);

    public static string OwnerPrefix(string? batchId, string jobId) => batchId is null ? $"jobs/{jobId}/" : $"batches/{batchId}/";

    public async Task WriteAsync(string path, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(path);
        await blob.UploadAsync(content, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken);
    }

    /// <summary>Opens a blob for streaming; null when it does not exist.</summary>
    public async Task<(Stream Content, string ContentType, long Length)?> OpenAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Container.GetBlobClient(path).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return (result.Value.Content, result.Value.Details.ContentType ?? "application/octet-stream", result.Value.Details.ContentLength);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken) =>
        Container.DeleteBlobIfExistsAsync(path, cancellationToken: cancellationToken);

    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            await Container.DeleteBlobIfExistsAsync(item.Name, cancellationToken: cancellationToken);
        }
    }
}
