using System.IO.Compression;

namespace EventMonitor.Functions.Conversion.Fetching;

/// <summary>Reads a response body under a byte limit, then decompresses it under the same limit and a ratio limit.</summary>
internal static class Body
{
    public static async Task<byte[]> ReadAsync(HttpResponseMessage response, long limit, int maxRatio, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            throw new ConversionException("too_large", $"The resource is larger than {limit} bytes.");
        }
        await using var network = await response.Content.ReadAsStreamAsync(cancellationToken);
        var raw = await CopyLimitedAsync(network, limit, "too_large", cancellationToken);
        var encoding = response.Content.Headers.ContentEncoding.LastOrDefault()?.ToLowerInvariant();
        if (encoding is null or "identity")
        {
            return raw;
        }
        await using Stream decoder = encoding switch
        {
            "gzip" or "x-gzip" => new GZipStream(new MemoryStream(raw), CompressionMode.Decompress),
            "br" => new BrotliStream(new MemoryStream(raw), CompressionMode.Decompress),
            "deflate" => new ZLibStream(new MemoryStream(raw), CompressionMode.Decompress),
            _ => throw new ConversionException("unsupported_content", $"Unsupported content encoding {encoding}."),
        };
        var expanded = Math.Min(limit, Math.Max(64 * 1024, (long)raw.Length * maxRatio));
        try
        {
            return await CopyLimitedAsync(decoder, expanded, "decompression_limit", cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            throw new ConversionException("unsupported_content", "The compressed body is corrupt.", inner: ex);
        }
    }

    private static async Task<byte[]> CopyLimitedAsync(Stream source, long limit, string code, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new ConversionException(code, code == "too_large"
                    ? $"The resource is larger than {limit} bytes."
                    : $"The body expands past {limit} bytes: refused as a compression bomb.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
