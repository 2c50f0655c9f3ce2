namespace EventMonitor.Functions.Hosting;

/// <summary>The legacy API's success shape: <c>{"status": "success", "data": …, "message": …}</c>.</summary>
internal sealed record Success<T>(T Data, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Message = null)
{
    public string Status { get; init; } = "success";
}
