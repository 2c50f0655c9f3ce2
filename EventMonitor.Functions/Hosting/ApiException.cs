namespace EventMonitor.Functions.Hosting;

/// <summary>A failure that reaches the client as the error envelope with its own status and code.</summary>
internal sealed class ApiException(int status, string code, string message, IReadOnlyDictionary<string, object?>? details = null)
    : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public IReadOnlyDictionary<string, object?> Details { get; } = details ?? new Dictionary<string, object?>();

    public static ApiException BadRequest(string code, string message, IReadOnlyDictionary<string, object?>? details = null) =>
        new(StatusCodes.Status400BadRequest, code, message, details);

    public static ApiException NotFound(string what, string id) =>
        new(StatusCodes.Status404NotFound, "not_found", $"{what} '{id}' was not found.");

    public static ApiException Conflict(string code, string message) =>
        new(StatusCodes.Status409Conflict, code, message);

    public static ApiException Forbidden(string message) =>
        new(StatusCodes.Status403Forbidden, "forbidden", message);
}
