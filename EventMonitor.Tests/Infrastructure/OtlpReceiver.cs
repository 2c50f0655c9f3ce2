using System.Collections.Concurrent;
using System.Globalization;

namespace EventMonitor.Tests.Infrastructure;

/// <summary>
/// A tiny OTLP/HTTP (protobuf) receiver on 127.0.0.1: what the app exports to it is decoded into metric
/// points, log records and spans (field numbers from opentelemetry-proto) for tests to look at.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly PageServer _server = new();

    public OtlpReceiver()
    {
        _server.Map("/v1/metrics", context => ReceiveAsync(context, ReadMetrics));
        _server.Map("/v1/logs", context => ReceiveAsync(context, ReadLogs));
        _server.Map("/v1/traces", context => ReceiveAsync(context, ReadSpans));
    }

    public string Endpoint => _server.Origin;

    /// <summary>Every exported data point in arrival order (cumulative: the last one of a series is its total).</summary>
    public ConcurrentQueue<MetricPoint> Points { get; } = new();

    public ConcurrentQueue<LogEntry> Logs { get; } = new();

    public ConcurrentQueue<SpanEntry> Spans { get; } = new();

    /// <summary>The latest point of a metric whose attributes include all of <paramref name="attributes"/>.</summary>
    public MetricPoint? Latest(string name, params (string Key, string Value)[] attributes) =>
        Points.LastOrDefault(p => p.Name == name && attributes.All(a => p.Attributes.GetValueOrDefault(a.Key) == a.Value));

    private static async Task ReceiveAsync(System.Net.HttpListenerContext context, Action<IReadOnlyList<ProtoField>> read)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        read(Protobuf.Parse(body.ToArray()));
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-protobuf";
        context.Response.ContentLength64 = 0;
        context.Response.Close();
    }

    // ExportMetricsServiceRequest.resource_metrics(1) → scope_metrics(2) → metrics(2): name(1), gauge(5), sum(7), histogram(9).
    private void ReadMetrics(IReadOnlyList<ProtoField> request)
    {
        foreach (var metric in Protobuf.Select(request, 1, 2, 2))
        {
            var name = metric.First(f => f.Number == 1).Text;
            // NumberDataPoint: attributes(7), as_double(4), as_int(6).
            foreach (var point in Protobuf.Select(metric, 5, 1).Concat(Protobuf.Select(metric, 7, 1)))
            {
                var value = point.FirstOrDefault(f => f.Number is 4 or 6);
                Points.Enqueue(new MetricPoint(name, Attributes(point, 7), value.Number == 4 ? value.AsDouble : (long)value.Scalar, 0, 0));
            }
            // HistogramDataPoint: attributes(9), count(4), sum(5).
            foreach (var point in Protobuf.Select(metric, 9, 1))
            {
                var count = point.FirstOrDefault(f => f.Number == 4).Scalar;
                var sum = point.FirstOrDefault(f => f.Number == 5).AsDouble;
                Points.Enqueue(new MetricPoint(name, Attributes(point, 9), 0, count, sum));
            }
        }
    }

    // ExportLogsServiceRequest.resource_logs(1) → scope_logs(2) → log_records(2): body(5), attributes(6).
    private void ReadLogs(IReadOnlyList<ProtoField> request)
    {
        foreach (var record in Protobuf.Select(request, 1, 2, 2))
        {
            var body = record.FirstOrDefault(f => f.Number == 5);
            Logs.Enqueue(new LogEntry(body.Bytes.IsEmpty ? "" : AnyValue(body.Message), Attributes(record, 6)));
        }
    }

    // ExportTraceServiceRequest.resource_spans(1) → scope_spans(2) → spans(2): name(5), attributes(9).
    private void ReadSpans(IReadOnlyList<ProtoField> request)
    {
        foreach (var span in Protobuf.Select(request, 1, 2, 2))
        {
            Spans.Enqueue(new SpanEntry(span.First(f => f.Number == 5).Text, Attributes(span, 9)));
        }
    }

    /// <summary>KeyValue: key(1), value(2) as AnyValue.</summary>
    private static Dictionary<string, string> Attributes(IReadOnlyList<ProtoField> message, int field)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in message.Where(f => f.Number == field).Select(f => f.Message))
        {
            var value = pair.FirstOrDefault(f => f.Number == 2);
            attributes[pair.First(f => f.Number == 1).Text] = value.Bytes.IsEmpty ? "" : AnyValue(value.Message);
        }
        return attributes;
    }

    /// <summary>AnyValue: string(1), bool(2), int(3), double(4); other kinds are not used by the app.</summary>
    private static string AnyValue(IReadOnlyList<ProtoField> value)
    {
        var field = value.Count > 0 ? value[0] : default;
        return field.Number switch
        {
            1 => field.Text,
            2 => field.Scalar != 0 ? "true" : "false",
            3 => ((long)field.Scalar).ToString(CultureInfo.InvariantCulture),
            4 => field.AsDouble.ToString(CultureInfo.InvariantCulture),
            _ => "",
        };
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

public sealed record MetricPoint(string Name, IReadOnlyDictionary<string, string> Attributes, double Value, ulong Count, double Sum);

public sealed record LogEntry(string Body, IReadOnlyDictionary<string, string> Attributes);

public sealed record SpanEntry(string Name, IReadOnlyDictionary<string, string> Attributes);
