using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventMonitor.Functions.CustomHandler;

/// <summary>What the Functions host POSTs to <c>/{FunctionName}</c> for a non-HTTP trigger.</summary>
internal sealed record InvocationRequest
{
    [JsonPropertyName("Data")]
    public Dictionary<string, JsonElement> Data { get; init; } = [];

    [JsonPropertyName("Metadata")]
    public Dictionary<string, JsonElement> Metadata { get; init; } = [];

    /// <summary>A binding's value as text: queue messages arrive as JSON strings, other values as JSON.</summary>
    public string? DataText(string binding) => Text(Data, binding);

    /// <summary>The host's time of the invocation (<c>Metadata.sys.UtcNow</c>), when it sent one.</summary>
    public DateTimeOffset? UtcNow =>
        Metadata.TryGetValue("sys", out var sys) && sys.ValueKind == JsonValueKind.Object && sys.TryGetProperty(nameof(UtcNow), out var now) && now.ValueKind == JsonValueKind.String
            ? ParseTime(now.GetString())
            : null;

    /// <summary>A metadata value as text (the host sends strings, numbers and dates).</summary>
    public string? MetadataText(string name) => Text(Metadata, name);

    private static string? Text(Dictionary<string, JsonElement> values, string name) =>
        values.TryGetValue(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    public DateTimeOffset? MetadataTime(string name) => ParseTime(MetadataText(name));

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;

    public int DequeueCount =>
        Metadata.TryGetValue("DequeueCount", out var value)
            ? value.ValueKind == JsonValueKind.Number ? value.GetInt32() : int.TryParse(value.ToString(), out var n) ? n : 1
            : 1;
}

/// <summary>The reply the host expects; any non-2xx status fails the invocation.</summary>
internal sealed record InvocationResponse
{
    [JsonPropertyName("Outputs")]
    public Dictionary<string, object?> Outputs { get; init; } = [];

    [JsonPropertyName("Logs")]
    public List<string> Logs { get; init; } = [];

    [JsonPropertyName("ReturnValue")]
    public object? ReturnValue { get; init; }

    public static InvocationResponse Done(params string[] logs) => new() { Logs = [.. logs] };
}

/// <summary>The timer binding's value; the host sends it as an object or as a JSON string.</summary>
internal sealed record TimerInfo
{
    [JsonPropertyName("IsPastDue")]
    public bool IsPastDue { get; init; }

    [JsonPropertyName("ScheduleStatus")]
    public TimerScheduleStatus? ScheduleStatus { get; init; }

    public static TimerInfo Parse(InvocationRequest request, string binding)
    {
        var text = request.DataText(binding);
        if (string.IsNullOrWhiteSpace(text) || text == "null")
        {
            return new TimerInfo();
        }
        return JsonSerializer.Deserialize<TimerInfo>(text) ?? new TimerInfo();
    }
}

internal sealed record TimerScheduleStatus
{
    [JsonPropertyName("Last")]
    public DateTimeOffset? Last { get; init; }

    [JsonPropertyName("Next")]
    public DateTimeOffset? Next { get; init; }

    [JsonPropertyName("LastUpdated")]
    public DateTimeOffset? LastUpdated { get; init; }
}
