namespace EventMonitor.Functions.Hosting;

/// <summary>
/// Cosmos ETags as HTTP entity tags. Azure's come quoted, the local emulator's do not; the header
/// always carries a quoted tag and If-Match compares the opaque value either way.
/// </summary>
internal static class EntityTags
{
    public static string? Format(string? etag) => etag is null ? null : etag.StartsWith('"') ? etag : $"\"{etag}\"";

    /// <summary>True when no If-Match was sent, it is <c>*</c>, or one of its tags is the resource's.</summary>
    public static bool Matches(string? ifMatch, string? etag)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
        {
            return true;
        }
        var current = Opaque(etag);
        return ifMatch.Split(',').Any(tag => Opaque(tag) == current);
    }

    private static string Opaque(string? tag)
    {
        var value = (tag ?? "").Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }
        return value.Trim('"');
    }
}
