using System.Text.Json.Nodes;
using EventMonitor.Functions.Conversion;
using EventMonitor.Functions.Events;
using EventMonitor.Functions.Files;
using EventMonitor.Functions.Jobs;

namespace EventMonitor.Functions.Orchestration;

/// <summary>The worker's side of a conversion: each step becomes job progress and an event; assets go to Blob.</summary>
internal sealed class WorkerSink(Job job, JobStore jobs, EventLog events, OutputStore outputs, TimeProvider time) : IConversionSink
{
    public Job Job { get; private set; } = job;

    public string OwnerPrefix => OutputStore.OwnerPrefix(Job.BatchId, Job.JobId);

    public async Task ReportAsync(string step, int percent, string message, JsonObject? payload, CancellationToken cancellationToken)
    {
        var updated = await jobs.UpdateAsync(Job, j => j.Status == JobStatus.Processing
            ? j with { Progress = new JobProgress { Step = step, Percent = percent, Message = message }, UpdatedAt = time.GetUtcNow() }
            : null, cancellationToken);
        Job = updated ?? Job;
        await events.AppendAsync(Job.JobId, step, EventLevel.Info, message, payload, cancellationToken);
    }

    public async Task<string> SaveAssetAsync(string relativePath, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var path = OwnerPrefix + relativePath;
        await outputs.WriteAsync(path, content, contentType, cancellationToken);
        return path;
    }
}
