using System.Diagnostics;
using System.Diagnostics.Metrics;
using EventMonitor.Functions.Jobs;

namespace EventMonitor.Functions.Telemetry;

/// <summary>
/// The app's instruments on its one meter. Counters are cumulative: "per minute" is a rate the
/// backend computes. Tags carry bounded values only (statuses, codes, purposes), never URLs or ids.
/// </summary>
internal sealed class AppMetrics
{
    public const string MeterName = "EventMonitor";

    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _cancelled;
    private readonly Histogram<double> _jobDuration;
    private readonly Histogram<double> _fetchDuration;

    public AppMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _completed = Meter.CreateCounter<long>("eventmonitor.jobs.completed", "{job}", "Jobs that ended completed.");
        _failed = Meter.CreateCounter<long>("eventmonitor.jobs.failed", "{job}", "Jobs that ended failed, by error code.");
        _cancelled = Meter.CreateCounter<long>("eventmonitor.jobs.cancelled", "{job}", "Jobs that ended cancelled.");
        _jobDuration = Meter.CreateHistogram("eventmonitor.job.duration", "s", "Running time of a job's final attempt, from claim to end.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] });
        _fetchDuration = Meter.CreateHistogram("eventmonitor.fetch.duration", "s", "Network fetches of pages, robots.txt, subtitles and attachments, redirects included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
    }

    /// <summary>The meter the queue gauges are created on too.</summary>
    public Meter Meter { get; }

    /// <summary>Called once per terminal transition, by whoever committed it.</summary>
    public void JobEnded(string status, string? errorCode, TimeSpan? ranFor)
    {
        var statusTag = new KeyValuePair<string, object?>("status", status);
        switch (status)
        {
            case JobStatus.Completed:
                _completed.Add(1);
                break;
            case JobStatus.Cancelled:
                _cancelled.Add(1);
                break;
            default:
                _failed.Add(1, new KeyValuePair<string, object?>("error_code", errorCode ?? "unknown"));
                break;
        }
        if (ranFor is { } duration && duration >= TimeSpan.Zero)
        {
            _jobDuration.Record(duration.TotalSeconds, statusTag);
        }
    }

    /// <summary>One network fetch: its purpose, its outcome (<c>ok</c>, <c>not_modified</c> or the error code) and the answer's status class.</summary>
    public void Fetched(string purpose, string outcome, int? status, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "purpose", purpose },
            { "outcome", outcome },
            { "status_class", status is { } s ? $"{s / 100}xx" : "none" },
        };
        _fetchDuration.Record(elapsed.TotalSeconds, tags);
    }
}
