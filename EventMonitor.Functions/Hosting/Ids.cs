using System.Text.RegularExpressions;

namespace EventMonitor.Functions.Hosting;

/// <summary>Ids are <c>job-&lt;uuid&gt;</c> and <c>batch-&lt;uuid&gt;</c>; a malformed id is a 400, never a lookup.</summary>
internal static partial class Ids
{
    public static string NewJobId() => "job-" + Guid.NewGuid().ToString("D");

    /// <summary>The id of a batch's n-th job, the same every time, so a repeated fan-out creates nothing twice.</summary>
    public static string BatchJobId(string batchId, int index)
    {
        var hex = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{batchId}/{index}")));
        return $"job-{hex[..8]}-{hex[8..12]}-5{hex[13..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    public static string NewBatchId() => "batch-" + Guid.NewGuid().ToString("D");

    public static bool IsJobId(string? value) => value is not null && JobIdPattern().IsMatch(value);

    public static bool IsBatchId(string? value) => value is not null && BatchIdPattern().IsMatch(value);

    public static string RequireJobId(string? value) =>
        IsJobId(value) ? value! : throw ApiException.BadRequest("invalid_id", "A job id looks like job-<uuid>.", new Dictionary<string, object?> { ["job_id"] = value });

    public static string RequireBatchId(string? value) =>
        IsBatchId(value) ? value! : throw ApiException.BadRequest("invalid_id", "A batch id looks like batch-<uuid>.", new Dictionary<string, object?> { ["batch_id"] = value });

    /// <summary>A dead letter's id is its poison message's id, a UUID.</summary>
    public static string RequireDeadLetterId(string? value) =>
        Guid.TryParseExact(value, "D", out _) ? value! : throw ApiException.BadRequest("invalid_id", "A dead letter id is the poison message's id, a UUID.", new Dictionary<string, object?> { ["dead_letter_id"] = value });

    [GeneratedRegex("^job-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex JobIdPattern();

    [GeneratedRegex("^batch-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex BatchIdPattern();
}
