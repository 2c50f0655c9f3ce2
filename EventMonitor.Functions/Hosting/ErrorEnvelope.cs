using System.Text.Json.Serialization;

namespace EventMonitor.Functions.Hosting;

/// <summary>The one error shape of both APIs.</summary>
internal sealed record ErrorEnvelope
{
    [JsonPropertyName("status")]
    public string Status { get; init; } = "error";

    [JsonPropertyName("error")]
    public required ErrorBody Error { get; init; }

    public static ErrorEnvelope Of(string code, string message, IReadOnlyDictionary<string, object?>? details = null) =>
        new() { Error = new ErrorBody { Code = code, Message = message, Details = details ?? new Dictionary<string, object?>() } };
}

internal sealed record ErrorBody
{
    [JsonPropertyName("code")]
    public required string Code { get; init; }

    [JsonPropertyName("message")]
    public required string Message { get; init; }

    [JsonPropertyName("details")]
    public required IReadOnlyDictionary<string, object?> Details { get; init; }
}
