using System.Text.Json.Nodes;

namespace EventMonitor.Functions.Events;

/// <summary>One entry of a job's or batch's append-only log, as the API shows it.</summary>
internal sealed record JobEvent
{
    public required long Id { get; init; }
    public required string Type { get; init; }
    public required string Level { get; init; }
    public required string Message { get; init; }
    public JsonObject? Payload { get; init; }

    /// <summary>Unix seconds, as the events seed document shows.</summary>
    public required double Timestamp { get; init; }
}

/// <summary>The stored form: one document per event in the owner's partition, its id the zero-padded sequence.</summary>
internal sealed record EventDocument
{
    public required string Id { get; init; }
    public required string Pk { get; init; }
    public required long Seq { get; init; }
    public required string Type { get; init; }
    public required string Level { get; init; }
    public required string Message { get; init; }
    public JsonObject? Payload { get; init; }
    public required double Timestamp { get; init; }

    public JobEvent ToEvent() => new() { Id = Seq, Type = Type, Level = Level, Message = Message, Payload = Payload, Timestamp = Timestamp };
}

internal static class EventLevel
{
    public const string Info = "info";
    public const string Success = "success";
    public const string Warning = "warning";
    public const string Error = "error";
}
