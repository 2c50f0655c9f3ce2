using System.Diagnostics;

namespace EventMonitor.Functions.Telemetry;

/// <summary>
/// Ties logs and traces to the job or batch they are about: a logging scope with <c>job_id</c> and
/// <c>batch_id</c> (so every line logged inside carries them) and the same tags on a span of the
/// app's one <see cref="ActivitySource"/>.
/// </summary>
internal static class Correlation
{
    public const string SourceName = "EventMonitor";
    public const string JobIdTag = "job_id";
    public const string BatchIdTag = "batch_id";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Opens the scope and, with an <paramref name="operation"/>, a span of that name (when something
    /// listens); without one, tags the current span (the HTTP request's).
    /// </summary>
    public static CorrelationScope Begin(ILogger logger, string? operation, string? jobId, string? batchId)
    {
        var activity = operation is null ? null : Source.StartActivity(operation);
        var tagged = activity ?? Activity.Current;
        tagged?.SetTag(JobIdTag, jobId);
        tagged?.SetTag(BatchIdTag, batchId);
        var scope = jobId is null && batchId is null ? null : logger.BeginScope(new ScopeState(jobId, batchId));
        return new CorrelationScope(activity, scope);
    }

    /// <summary>The batch a job belongs to, from its partition: a stand-alone job is its own partition.</summary>
    public static string? BatchOf(string jobId, string partition) => partition == jobId ? null : partition;
}

/// <summary>
/// A scope's values under the API's own names (<c>job_id</c>, <c>batch_id</c>), so structured sinks get
/// them as attributes; as text (the console) it reads <c>job_id:… batch_id:…</c>.
/// </summary>
internal sealed class ScopeState(string? jobId, string? batchId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _values =
        [.. new KeyValuePair<string, object?>[] { new(Correlation.JobIdTag, jobId), new(Correlation.BatchIdTag, batchId) }.Where(p => p.Value is not null)];

    public int Count => _values.Length;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(' ', _values.Select(v => $"{v.Key}:{v.Value}"));
}

/// <summary>Ends the logging scope and the span together.</summary>
internal readonly struct CorrelationScope(Activity? activity, IDisposable? scope) : IDisposable
{
    public void Dispose()
    {
        scope?.Dispose();
        activity?.Dispose();
    }
}
