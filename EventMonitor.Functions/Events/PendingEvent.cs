using System.Text.Json.Nodes;

namespace EventMonitor.Functions.Events;

/// <summary>
/// An event written into a document together with the change it reports (an outbox) and logged
/// exactly once afterwards; its key makes logging it a second time a no-op.
/// </summary>
internal sealed record PendingEvent
{
    public required string Key { get; init; }
    public required string Type { get; init; }
    public required string Level { get; init; }
    public required string Message { get; init; }
    public JsonObject? Payload { get; init; }
}
