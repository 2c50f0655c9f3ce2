using EventMonitor.Functions.Hosting;

namespace EventMonitor.Functions.Files;

/// <summary>
/// A storage-relative path from a request, checked so that it can never leave the output root:
/// no dot segments, no absolute or backslash paths, no control characters or undecodable bytes.
/// </summary>
internal sealed record StoragePath(string Value, string OwnerKind, string OwnerId)
{
    public const int MaxLength = 1024;

    public static StoragePath Parse(string? raw)
    {
        if (string.IsNullOrEmpty(raw) || raw.Length > MaxLength)
        {
            throw Invalid("The path is empty or too long.");
        }
        if (raw[0] == '/' || raw.Contains('\\', StringComparison.Ordinal) || raw.Contains(':', StringComparison.Ordinal))
        {
            throw Invalid("The path must be relative and use forward slashes.");
        }
        // U+FFFD is what an overlong or otherwise invalid UTF-8 sequence decodes to.
        if (raw.Any(c => char.IsControl(c) || c == '\uFFFD'))
        {
            throw Invalid("The path contains control characters or invalid UTF-8.");
        }
        if (raw.Contains('%', StringComparison.Ordinal))
        {
            throw Invalid("The path may not contain encoded slashes or be percent-encoded twice.");
        }
        var segments = raw.Split('/');
        if (segments.Any(s => s.Length == 0 || s == "." || s == ".."))
        {
            throw Invalid("The path may not contain empty, '.' or '..' segments.");
        }
        if (segments.Length < 3 || !((segments[0] == "jobs" && Ids.IsJobId(segments[1])) || (segments[0] == "batches" && Ids.IsBatchId(segments[1]))))
        {
            throw Invalid("The path must start with jobs/<job_id>/ or batches/<batch_id>/.");
        }
        return new StoragePath(raw, segments[0], segments[1]);
    }

    private static ApiException Invalid(string message) => ApiException.BadRequest("invalid_path", message);
}
