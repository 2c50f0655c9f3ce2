using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace EventMonitor.Functions.Dashboard;

/// <summary>The dashboard's static files, embedded in the assembly so a publish carries them and no build step is needed.</summary>
internal sealed class DashboardAssets
{
    /// <summary>The logical-name prefix the project file gives every file under <c>Dashboard/wwwroot</c>.</summary>
    public const string ResourcePrefix = "dashboard/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private readonly FrozenDictionary<string, Asset> _assets;

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        _assets = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(name => name[ResourcePrefix.Length..], name => Load(assembly, name), StringComparer.Ordinal);
    }

    public Asset? Find(string path) => _assets.GetValueOrDefault(path);

    private static Asset Load(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var contentType = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"";
        return new Asset(bytes, contentType, etag);
    }

    internal sealed record Asset(byte[] Content, string ContentType, string ETag);
}
