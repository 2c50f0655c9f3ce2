using System.Text.Json.Nodes;
using EventMonitor.Functions.Conversion;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Files;
using EventMonitor.Functions.Jobs;

namespace EventMonitor.Functions.Orchestration;

/// <summary>
/// The worker's side of a conversion: each step becomes job progress and an event, and is a step
/// boundary where a cancel request or a job ended by someone else stops the work.
/// </summary>
internal sealed class WorkerSink(Job job, JobStore jobs, EventLog events, OutputStore outputs, TimeProvider time) : IConversionSink
{
    public Job Job { get; private set; } = job;

    public string OwnerPrefix => OutputStore.OwnerPrefix(Job.BatchId, Job.JobId);

    public async Task ReportAsync(string step, int percent, string message, JsonObject? payload, CancellationToken cancellationToken)
    {
        var updated = await jobs.UpdateAsync(Job, j => j.Status == JobStatus.Processing && !j.CancelRequested
            ? j with { Progress = new JobProgress { Step = step, Percent = percent, Message = message }, UpdatedAt = time.GetUtcNow() }
            : null, cancellationToken);
        if (updated is null)
        {
            Job = await jobs.FindAsync(Job.JobId, Job.Pk, cancellationToken) ?? throw new JobStoppedException("The job was deleted while it ran.");
            throw new JobStoppedException(Job.CancelRequested && Job.Status == JobStatus.Processing ? "cancel" : $"The job became {Job.Status} while it ran.");
        }
        Job = updated;
        await events.AppendAsync(Job.JobId, step, EventLevel.Info, message, payload, cancellationToken);
    }

    public async Task<string> SaveAssetAsync(string relativePath, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var path = OwnerPrefix + relativePath;
        await outputs.WriteAsync(path, content, contentType, cancellationToken);
        return path;
    }
}
