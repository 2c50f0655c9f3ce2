using System.Security.Cryptography;
using System.Text;
using EventMonitor.Functions.Batches;
using EventMonitor.Functions.CustomHandler;
using EventMonitor.Functions.Hosting;
using EventMonitor.Functions.Jobs;
using EventMonitor.Functions.Orchestration;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.DeadLetters;

/// <summary>Records poison messages as dead letters, and lets an admin re-drive or discard them.</summary>
internal sealed partial class DeadLetterService(
    DeadLetterStore letters,
    JobStore jobs,
    JobService jobService,
    BatchStore batches,
    WorkQueue queue,
    HostQueueSettings queueSettings,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<DeadLetterService> logger)
{
    /// <summary>Records one delivery of the poison function; a redelivery of the same message changes nothing.</summary>
    public async Task<DeadLetter> RecordAsync(InvocationRequest request, WorkItem? item, Job? job, CancellationToken cancellationToken)
    {
        var text = request.DataText(OrchestrationTriggers.WorkItemBinding) ?? "";
        var owner = job?.UserId ?? (item?.BatchId is { } batchId ? (await batches.FindAsync(batchId, cancellationToken))?.UserId : null);
        var letter = await letters.RecordAsync(new DeadLetter
        {
            Id = MessageId(request, text),
            Queue = storage.Value.PoisonQueue,
            MessageText = text,
            Kind = item?.Kind,
            JobId = item?.JobId,
            BatchId = job?.BatchId ?? item?.BatchId,
            UserId = owner,
            DequeueCount = queueSettings.MaxDequeueCount,
            Attempts = job?.Attempts,
            Error = job?.Error,
            InsertedAt = request.MetadataTime("InsertionTime"),
            CreatedAt = time.GetUtcNow(),
        }, cancellationToken);
        LogRecorded(logger, letter.Id, letter.JobId ?? letter.BatchId);
        return letter;
    }

    public async Task<DeadLetter> GetAsync(string? id, CancellationToken cancellationToken) =>
        await letters.FindAsync(Ids.RequireDeadLetterId(id), cancellationToken) ?? throw ApiException.NotFound("Dead letter", id!);

    public Task<(List<DeadLetter> Page, long Total)> ListAsync(ListQuery list, CancellationToken cancellationToken) =>
        letters.ListAsync(list, cancellationToken);

    /// <summary>
    /// Runs the work again: a job is restarted exactly as <c>POST …/restart</c> does (results, error and
    /// progress cleared, batch recounted, a new work item queued); a fan-out is queued again (it creates
    /// nothing twice). The dead letter is deleted afterwards, so a crash in between leaves it to retry or discard.
    /// </summary>
    public async Task<Job?> RedriveAsync(string? id, CancellationToken cancellationToken)
    {
        var letter = await GetAsync(id, cancellationToken);
        var item = WorkItem.TryParse(letter.MessageText) ?? throw ApiException.Conflict("not_redrivable", "The message names no work item; discard it instead.");
        Job? restarted = null;
        if (item.Kind == WorkItem.FanOut)
        {
            _ = await batches.FindAsync(item.BatchId!, cancellationToken) ?? throw ApiException.Conflict("batch_gone", $"Batch {item.BatchId} no longer exists; discard the dead letter instead.");
            await queue.EnqueueAsync(item, null, cancellationToken);
        }
        else
        {
            var job = await jobs.FindAsync(item.JobId!, item.Pk, cancellationToken) ?? throw ApiException.Conflict("job_gone", $"Job {item.JobId} no longer exists; discard the dead letter instead.");
            restarted = await jobService.RestartAsync(job, cancellationToken)
                ?? throw ApiException.Conflict("job_running", $"Job {job.JobId} is {job.Status}: it is already queued or running.");
        }
        await letters.DeleteAsync(letter.Id, cancellationToken);
        return restarted;
    }

    public async Task DiscardAsync(string? id, CancellationToken cancellationToken)
    {
        var letter = await GetAsync(id, cancellationToken);
        await letters.DeleteAsync(letter.Id, cancellationToken);
    }

    /// <summary>The queue's message id; without one (a hand-made invocation), a UUID derived from the text, so repeats still collapse.</summary>
    private static string MessageId(InvocationRequest request, string text)
    {
        if (request.MetadataText("Id") is { } id && Guid.TryParse(id, out var parsed))
        {
            return parsed.ToString("D");
        }
        return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(text))[..16]).ToString("D");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter {DeadLetterId} recorded for {Subject}")]
    private static partial void LogRecorded(ILogger logger, string deadLetterId, string? subject);
}
