namespace EventMonitor.Functions.Hosting;

/// <summary>The legacy API's success shape: <c>{"status": "success", "data": …, "message": …}</c>.</summary>
internal sealed record Success<T>(T Data, string? Message = null)
{
    public string Status { get; init; } = "success";
}
