using EventMonitor.Functions.Telemetry;

namespace EventMonitor.Functions.Jobs;

/// <summary>
/// A job reaching completed, failed or cancelled: one count, one log line and, when a worker ended it,
/// its final attempt's running time. Called once per terminal transition, by whoever committed it.
/// </summary>
internal sealed partial class JobEndings(AppMetrics metrics, ILogger<JobEndings> logger)
{
    /// <param name="job">The job as written in its terminal state.</param>
    /// <param name="byWorker">Ended by the worker that ran it (so claim to end is a running time), not by a caller.</param>
    public void Record(Job job, bool byWorker)
    {
        metrics.JobEnded(job.Status, job.Error?.Code, byWorker ? job.CompletedAt - job.StartedAt : null);
        if (job.Error is { } error)
        {
            LogFailed(logger, job.JobId, job.Status, error.Code);
        }
        else
        {
            LogEnded(logger, job.JobId, job.Status);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ended {Status}")]
    private static partial void LogEnded(ILogger logger, string jobId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ended {Status}: {ErrorCode}")]
    private static partial void LogFailed(ILogger logger, string jobId, string status, string errorCode);
}
