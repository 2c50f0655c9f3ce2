using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EventMonitor.Functions.Batches;
using EventMonitor.Functions.Conversion;
using EventMonitor.Functions.CustomHandler;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Files;
using EventMonitor.Functions.Jobs;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Orchestration;

/// <summary>
/// Runs one work item: claims the job under its ETag with a lease, converts the page, writes the
/// Markdown and records the result. Every step is idempotent, so a repeated delivery is harmless.
/// </summary>
internal sealed partial class SessionWorker(
    JobStore jobs,
    BatchStore batches,
    BatchCounter counter,
    EventLog events,
    JobOutbox outbox,
    OutputStore outputs,
    SessionConverter converter,
    HostQueueSettings queueSettings,
    SiteLimiter sites,
    WorkQueue queue,
    IOptions<OrchestrationOptions> options,
    IOptions<FaultOptions> faults,
    TimeProvider time,
    ILogger<SessionWorker> logger)
{
    public async Task<string> ProcessAsync(WorkItem item, int dequeueCount, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(item.JobId!, item.Pk, cancellationToken);
        if (job is null)
        {
            return $"{item.JobId}: gone, nothing to do.";
        }
        // A worker that died right after ending the job leaves its final event to the next delivery.
        await outbox.FlushAsync(job, recount: true, byWorker: false, cancellationToken);
        // A paused batch starts nothing; resuming re-enqueues its pending jobs.
        if (job.BatchId is not null && job.Status == JobStatus.Pending && await batches.FindAsync(job.BatchId, cancellationToken) is { Active: false })
        {
            return $"{item.JobId}: batch paused, not started.";
        }
        var claimed = await jobs.UpdateAsync(job, Claim, cancellationToken);
        if (claimed is null)
        {
            return $"{item.JobId}: {job.Status}, not claimed.";
        }
        await RecountAsync(claimed, cancellationToken);
        await events.AppendAsync(claimed.JobId, "started", EventLevel.Info, $"Attempt {claimed.Attempts} started.", new JsonObject { ["attempt"] = claimed.Attempts }, cancellationToken);

        var sink = new WorkerSink(claimed, jobs, events, outputs, time);
        using var lease = new LeaseKeeper(sink, jobs, options.Value.JobLease, time);
        try
        {
            if (faults.Value.Throws(claimed.Parameters.Url))
            {
                throw new InjectedFaultException($"Injected fault for {claimed.Parameters.Url} (Faults:ThrowForUrlPrefix).");
            }
            var input = new ConversionInput { Url = new Uri(claimed.Parameters.Url!), Parameters = claimed.Parameters };
            var output = await sites.RunAsync(input.Url, () => converter.ConvertAsync(input, sink, cancellationToken), cancellationToken);
            var path = sink.OwnerPrefix + output.RelativePath;
            var bytes = Encoding.UTF8.GetBytes(output.Markdown);
            using (var content = new MemoryStream(bytes))
            {
                await outputs.WriteAsync(path, content, "text/markdown; charset=utf-8", cancellationToken);
            }
            await sink.ReportAsync("stored", 90, $"Stored {path}.", new JsonObject { ["path"] = path, ["bytes"] = bytes.Length }, cancellationToken);
            var results = new JobResults
            {
                MarkdownFile = path,
                Assets = output.Assets,
                SourceUrl = output.SourceUrl,
                ContentHash = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)),
                Generator = output.Generator,
                FetchedAt = output.FetchedAt,
            };
            await FinishAsync(sink.Job, JobStatus.Completed, results, null, byWorker: true, cancellationToken);
            return $"{item.JobId}: completed.";
        }
        catch (JobStoppedException ex) when (ex.Message == "cancel")
        {
            await FinishAsync(sink.Job, JobStatus.Cancelled, null, null, byWorker: true, cancellationToken);
            return $"{item.JobId}: cancelled at a step boundary.";
        }
        catch (JobStoppedException ex)
        {
            // Whoever ended it (fail-all) may have died before logging its final event; this delivery is the last to see the job.
            await outbox.FlushAsync(sink.Job, recount: true, byWorker: false, cancellationToken);
            return $"{item.JobId}: stopped ({ex.Message}).";
        }
        catch (ConversionException ex) when (ex.Transient && options.Value.ToBackoff().NextDelay(sink.Job.Attempts, ex.RetryAfter) is { } delay)
        {
            LogRetrying(logger, job.JobId, ex.Code, delay, ex);
            await RetryLaterAsync(sink.Job, ex, delay, cancellationToken);
            return $"{item.JobId}: {ex.Code}, retrying in {delay.TotalSeconds:0.#} s.";
        }
        catch (ConversionException ex)
        {
            LogConversionFailed(logger, job.JobId, ex.Code, ex);
            await FinishAsync(sink.Job, JobStatus.Failed, null, new JobError { Code = ex.Code, Message = ex.Message }, byWorker: true, cancellationToken);
            return $"{item.JobId}: failed ({ex.Code}).";
        }
        catch (OperationCanceledException)
        {
            // Shutting down past the grace period: hand the job back instead of waiting for its lease to run out.
            await ReleaseAsync(sink.Job, "Released at shutdown; it runs again on the next delivery.");
            throw;
        }
        catch (Exception ex)
        {
            // Unexpected: let the queue retry, but never leave the job in processing after the last attempt.
            LogUnexpected(logger, job.JobId, dequeueCount, ex);
            if (dequeueCount >= queueSettings.MaxDequeueCount)
            {
                await FinishAsync(sink.Job, JobStatus.Failed, null, new JobError { Code = "internal_error", Message = "The job failed on every attempt." }, byWorker: true, CancellationToken.None);
            }
            else
            {
                await ReleaseAsync(sink.Job, null);
            }
            throw;
        }
    }

    /// <summary>Hands a job this worker holds back to pending, without a lease, so the next delivery runs it.</summary>
    private async Task ReleaseAsync(Job job, string? message)
    {
        var released = await jobs.UpdateAsync(job, j => j.Status == JobStatus.Processing ? j with { Status = JobStatus.Pending, LeaseUntil = null, UpdatedAt = time.GetUtcNow() } : null, CancellationToken.None);
        if (released is null)
        {
            return;
        }
        if (message is not null)
        {
            await events.AppendAsync(released.JobId, "progress", EventLevel.Warning, message, null, CancellationToken.None);
        }
        await RecountAsync(released, CancellationToken.None);
    }

    /// <summary>Back to pending with the error kept for display, and a new work item that becomes visible after the delay.</summary>
    private async Task RetryLaterAsync(Job job, ConversionException ex, TimeSpan delay, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var waiting = await jobs.UpdateAsync(job, j => j.Status == JobStatus.Processing ? j with
        {
            Status = JobStatus.Pending,
            LeaseUntil = null,
            NextAttemptAt = now + delay,
            EnqueuedAt = now,
            UpdatedAt = now,
            Progress = j.Progress with { Message = $"Waiting to retry: {ex.Message}" },
        } : null, cancellationToken);
        if (waiting is null)
        {
            return;
        }
        var payload = new JsonObject { ["code"] = ex.Code, ["attempt"] = waiting.Attempts, ["delay_seconds"] = Math.Round(delay.TotalSeconds, 1), ["next_attempt_at"] = waiting.NextAttemptAt!.Value.ToString("O") };
        await events.AppendAsync(job.JobId, "retry", EventLevel.Warning, $"{ex.Message} Retrying in {delay.TotalSeconds:0.#} s.", payload, cancellationToken);
        await RecountAsync(waiting, cancellationToken);
        await queue.EnqueueAsync(new WorkItem { JobId = job.JobId, Pk = job.Pk }, delay, cancellationToken);
    }

    private Job? Claim(Job job)
    {
        var now = time.GetUtcNow();
        // A retry's own delayed message may arrive a moment early; anything earlier is a stray duplicate.
        var due = job.NextAttemptAt is null || job.NextAttemptAt <= now + TimeSpan.FromSeconds(2);
        var free = (job.Status == JobStatus.Pending && due) || (job.Status == JobStatus.Processing && job.LeaseUntil < now);
        if (!free)
        {
            return null;
        }
        return job with
        {
            Status = JobStatus.Processing,
            Attempts = job.Attempts + 1,
            LeaseUntil = now + options.Value.JobLease,
            StartedAt = now,
            UpdatedAt = now,
            NextAttemptAt = null,
            Progress = new JobProgress { Step = "started", Percent = 5, Message = "Fetching the page." },
        };
    }

    /// <summary>Ends a job; ends it exactly once even when another worker races to the same end.</summary>
    /// <param name="byWorker">Ended by the worker that ran it (so claim to end is a running time), not by the poison queue.</param>
    public async Task FinishAsync(Job job, string status, JobResults? results, JobError? error, bool byWorker, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var finished = await jobs.UpdateAsync(job, j => JobStatus.IsTerminal(j.Status) ? null : JobOutbox.End(j with
        {
            Status = status,
            Results = results,
            Error = error,
            LeaseUntil = null,
            UpdatedAt = now,
            CompletedAt = now,
            Progress = status == JobStatus.Completed
                ? new JobProgress { Step = "completed", Percent = 100, Message = "Done." }
                : j.Progress with { Message = error?.Message ?? j.Progress.Message },
        }, "Cancelled at a step boundary."), cancellationToken);
        if (finished is not null)
        {
            await outbox.FlushAsync(finished, recount: true, byWorker, cancellationToken);
        }
    }

    private Task RecountAsync(Job job, CancellationToken cancellationToken) =>
        job.BatchId is null ? Task.CompletedTask : counter.RecountAsync(job.BatchId, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} hit {Code}; retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string jobId, string code, TimeSpan delay, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} failed: {Code}")]
    private static partial void LogConversionFailed(ILogger logger, string jobId, string code, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} hit an unexpected failure on delivery {DequeueCount}")]
    private static partial void LogUnexpected(ILogger logger, string jobId, int dequeueCount, Exception ex);
}
