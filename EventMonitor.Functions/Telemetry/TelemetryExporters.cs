using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace EventMonitor.Functions.Telemetry;

/// <summary>The exporter of each signal, as <see cref="TelemetryOptions.Exporter"/> chooses.</summary>
internal static class TelemetryExporters
{
    public static MeterProviderBuilder AddExporter(this MeterProviderBuilder metrics, TelemetryOptions options)
    {
        var interval = Milliseconds(options.ExportInterval);
        return options.Exporter switch
        {
            TelemetryOptions.Console => metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval),
            TelemetryOptions.Otlp => metrics.AddOtlpExporter((otlp, reader) =>
            {
                Configure(otlp, options, "v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
            }),
            TelemetryOptions.AzureMonitor => metrics.AddAzureMonitorMetricExporter(a => a.ConnectionString = options.AzureMonitorConnectionString),
            _ => metrics,
        };
    }

    public static TracerProviderBuilder AddExporter(this TracerProviderBuilder tracing, TelemetryOptions options) => options.Exporter switch
    {
        TelemetryOptions.Console => tracing.AddConsoleExporter(),
        TelemetryOptions.Otlp => tracing.AddOtlpExporter(otlp =>
        {
            Configure(otlp, options, "v1/traces");
            otlp.BatchExportProcessorOptions.ScheduledDelayMilliseconds = Milliseconds(options.ExportInterval);
        }),
        TelemetryOptions.AzureMonitor => tracing.AddAzureMonitorTraceExporter(a => a.ConnectionString = options.AzureMonitorConnectionString),
        _ => tracing,
    };

    public static LoggerProviderBuilder AddExporter(this LoggerProviderBuilder logging, TelemetryOptions options) => options.Exporter switch
    {
        TelemetryOptions.Otlp => logging.AddOtlpExporter((otlp, processor) =>
        {
            Configure(otlp, options, "v1/logs");
            processor.BatchExportProcessorOptions.ScheduledDelayMilliseconds = Milliseconds(options.ExportInterval);
        }),
        TelemetryOptions.AzureMonitor => logging.AddAzureMonitorLogExporter(a => a.ConnectionString = options.AzureMonitorConnectionString),
        _ => logging,
    };

    private static void Configure(OtlpExporterOptions otlp, TelemetryOptions options, string signalPath)
    {
        if (options.OtlpProtocol is { } protocol)
        {
            otlp.Protocol = protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        }
        if (options.OtlpEndpoint is { } endpoint)
        {
            // An endpoint set in code is used exactly as given; over http/protobuf each signal has its own path.
            otlp.Endpoint = otlp.Protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath) : endpoint;
        }
    }

    private static int Milliseconds(TimeSpan interval) => (int)interval.TotalMilliseconds;
}
