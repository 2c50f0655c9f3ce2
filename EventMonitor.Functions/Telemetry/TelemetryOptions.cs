using System.ComponentModel.DataAnnotations;

namespace EventMonitor.Functions.Telemetry;

/// <summary>Where metrics, traces and logs go (<c>Telemetry:*</c>); nothing leaves the process by default.</summary>
internal sealed class TelemetryOptions
{
    public const string Section = "Telemetry";
    public const string None = "none";
    public const string Console = "console";
    public const string Otlp = "otlp";
    public const string AzureMonitor = "azuremonitor";
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    [AllowedValues(None, Console, Otlp, AzureMonitor, ErrorMessage = "Telemetry:Exporter must be one of none, console, otlp, azuremonitor.")]
    public string Exporter { get; set; } = None;

    /// <summary>The OTLP collector's base URL; without it the standard <c>OTEL_EXPORTER_OTLP_*</c> variables apply.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>; without it <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (default grpc) applies.</summary>
    [AllowedValues(null, "grpc", "http/protobuf", ErrorMessage = "Telemetry:OtlpProtocol must be grpc or http/protobuf.")]
    public string? OtlpProtocol { get; set; }

    /// <summary>How often metrics are exported, and at most how long spans and log records wait in their batch (otlp).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a queue's message count is reused, so frequent collection does not hammer storage.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan QueueDepthCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Bound from <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>; a secret, never logged.</summary>
    public string? AzureMonitorConnectionString { get; set; }

    public bool HasConnectionString => !string.IsNullOrWhiteSpace(AzureMonitorConnectionString);

    /// <summary>A usable exporter is chosen; anything else wires nothing (and validation refuses it at start).</summary>
    public bool Enabled => Exporter is Console or Otlp || (Exporter == AzureMonitor && HasConnectionString);
}
