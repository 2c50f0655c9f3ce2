using EventMonitor.Functions.Batches;
using EventMonitor.Functions.CustomHandler;
using EventMonitor.Functions.DeadLetters;
using EventMonitor.Functions.Jobs;
using EventMonitor.Functions.Telemetry;
using EventMonitor.Functions.Webhooks;

namespace EventMonitor.Functions.Orchestration;

/// <summary>The queue and timer functions of the orchestration, as <c>POST /{FunctionName}</c> endpoints.</summary>
internal static partial class OrchestrationTriggers
{
    public const string WorkItemBinding = "workItem";
    public const string TimerBinding = "timer";

    public static IEndpointRouteBuilder MapOrchestrationTriggers(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapTrigger(FunctionNames.ConvertSession, ConvertSession);
        endpoints.MapTrigger(FunctionNames.ConvertSessionPoison, ConvertSessionPoison);
        endpoints.MapTrigger(FunctionNames.Reconciler, Reconcile);
        endpoints.MapTrigger(FunctionNames.ArchiveBatches, ArchiveBatches);
        return endpoints;
    }

    private static async Task<InvocationResponse> ConvertSession(InvocationRequest request, IServiceProvider services, CancellationToken cancellationToken)
    {
        // A malformed message can never succeed: acknowledge it rather than retry it into the poison queue.
        var item = WorkItem.TryParse(request.DataText(WorkItemBinding));
        if (item is null)
        {
            return InvocationResponse.Done("Ignored a malformed work item.");
        }
        var logger = Logger(services);
        using var scope = Correlate(logger, item, item.Kind switch { WorkItem.FanOut => "fan out batch", WorkItem.Webhook => "deliver webhook", _ => "convert job" });
        var log = item.Kind switch
        {
            WorkItem.FanOut => await services.GetRequiredService<BatchFanOut>().RunAsync(item.BatchId!, cancellationToken),
            WorkItem.Webhook => await services.GetRequiredService<WebhookDelivery>().DeliverAsync(item, cancellationToken),
            _ => await services.GetRequiredService<SessionWorker>().ProcessAsync(item, request.DequeueCount, cancellationToken),
        };
        LogWorkItem(logger, log);
        return InvocationResponse.Done(log);
    }

    /// <summary>Ends the job of a message that failed on every delivery, and keeps the message as a dead letter for an admin.</summary>
    private static async Task<InvocationResponse> ConvertSessionPoison(InvocationRequest request, IServiceProvider services, CancellationToken cancellationToken)
    {
        var item = WorkItem.TryParse(request.DataText(WorkItemBinding));
        using var scope = item is null ? default : Correlate(Logger(services), item, "fail poisoned job");
        Job? job = null;
        var outcome = "names no job";
        if (item is { Kind: WorkItem.Session })
        {
            var jobs = services.GetRequiredService<JobStore>();
            job = await jobs.FindAsync(item.JobId!, item.Pk, cancellationToken);
            outcome = $"already {job?.Status ?? "gone"}";
            if (job is not null && !JobStatus.IsTerminal(job.Status))
            {
                var error = new JobError { Code = "poison_message", Message = "The work item failed on every delivery and was moved to the poison queue." };
                await services.GetRequiredService<SessionWorker>().FinishAsync(job, JobStatus.Failed, null, error, byWorker: false, cancellationToken);
                job = await jobs.FindAsync(item.JobId!, item.Pk, cancellationToken);
                outcome = "failed from the poison queue";
            }
        }
        var letter = await services.GetRequiredService<DeadLetterService>().RecordAsync(request, item, job, cancellationToken);
        return InvocationResponse.Done($"{item?.JobId ?? item?.BatchId ?? "message"}: {outcome}; dead letter {letter.Id}.");
    }

    /// <summary>Everything logged while a work item runs carries its job and batch ids.</summary>
    private static CorrelationScope Correlate(ILogger logger, WorkItem item, string operation) =>
        item.JobId is null
            ? Correlation.Begin(logger, operation, null, item.BatchId)
            : Correlation.Begin(logger, operation, item.JobId, Correlation.BatchOf(item.JobId!, item.Pk));

    private static ILogger Logger(IServiceProvider services) => services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OrchestrationTriggers));

    /// <summary>Archives as of the host's invocation time, so a run that was missed catches up correctly.</summary>
    private static async Task<InvocationResponse> ArchiveBatches(InvocationRequest request, IServiceProvider services, CancellationToken cancellationToken)
    {
        var timer = TimerInfo.Parse(request, TimerBinding);
        var now = request.UtcNow ?? services.GetRequiredService<TimeProvider>().GetUtcNow();
        var report = await services.GetRequiredService<Archiving.BatchArchiver>().RunAsync(now, cancellationToken);
        return InvocationResponse.Done($"ArchiveBatches (past due: {timer.IsPastDue}): {report}");
    }

    private static async Task<InvocationResponse> Reconcile(InvocationRequest request, IServiceProvider services, CancellationToken cancellationToken)
    {
        var timer = TimerInfo.Parse(request, TimerBinding);
        var report = await services.GetRequiredService<Reconciler>().RunAsync(cancellationToken);
        return InvocationResponse.Done($"Reconciler (past due: {timer.IsPastDue}): {report}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Work item done: {Outcome}")]
    private static partial void LogWorkItem(ILogger logger, string outcome);
}
