using Cronos;

namespace EventMonitor.Functions.CustomHandler;

/// <summary>
/// Fires one timer function on its six-field NCRONTAB schedule through the host envelope, only while
/// this process holds the timer's singleton lease. The schedule status is kept in Blob Storage, so a
/// new holder continues where the last one stopped and a run missed while no process held the lease
/// is fired at once with <c>IsPastDue</c>.
/// </summary>
internal sealed partial class TimerLoop(FunctionManifest function, IConfiguration configuration, SelfInvoker invoker, TimerStorage storage, TimeProvider time, ILogger logger)
{
    // As the host does: a scheduled run that starts this late counts as past due.
    private static readonly TimeSpan PastDueAfter = TimeSpan.FromSeconds(30);

    public async Task RunAsync(CancellationToken stopping)
    {
        var schedule = BindingExpressions.Resolve(function.Get("schedule") ?? throw new InvalidOperationException($"{function.Name} has no schedule."), configuration);
        var cron = CronExpression.Parse(schedule, CronFormat.IncludeSeconds);
        await storage.Lease(function.Name).RunWhileHeldAsync(held => FireWhileHeldAsync(cron, held), stopping);
    }

    private async Task FireWhileHeldAsync(CronExpression cron, CancellationToken held)
    {
        var status = await storage.ReadStatusAsync(function.Name, held);
        if (status?.Next is { } missed && missed < time.GetUtcNow())
        {
            // A run fell due while no process held the lease: run it now, and say so.
            status = await FireAsync(cron, missed, status, pastDue: true, held);
        }
        while (true)
        {
            var now = time.GetUtcNow();
            // Never the last run's occurrence again, even if the delay woke a moment early.
            var from = status?.Last is { } last && last > now ? last : now;
            if (cron.GetNextOccurrence(from, TimeZoneInfo.Utc) is not { } next)
            {
                return;
            }
            await Task.Delay(next - now, time, held);
            status = await FireAsync(cron, next, status, time.GetUtcNow() - next > PastDueAfter, held);
        }
    }

    /// <summary>Invokes the function for one occurrence and records it as the last run, whether or not the invocation succeeded (as the host does).</summary>
    private async Task<TimerScheduleStatus> FireAsync(CronExpression cron, DateTimeOffset occurrence, TimerScheduleStatus? previous, bool pastDue, CancellationToken held)
    {
        var now = time.GetUtcNow();
        var sent = pastDue && previous is not null ? previous : new TimerScheduleStatus { Last = previous?.Last, Next = cron.GetNextOccurrence(occurrence, TimeZoneInfo.Utc), LastUpdated = now };
        var envelope = new InvocationRequestOut
        {
            Data = new Dictionary<string, object?>
            {
                [function.BindingName] = new Dictionary<string, object?>
                {
                    ["Schedule"] = new Dictionary<string, object?> { ["AdjustForDST"] = true },
                    ["ScheduleStatus"] = sent,
                    ["IsPastDue"] = pastDue,
                },
            },
            Metadata = new Dictionary<string, object?>
            {
                ["sys"] = new Dictionary<string, object?> { ["MethodName"] = function.Name, ["UtcNow"] = now, ["RandGuid"] = Guid.NewGuid() },
            },
        };
        var succeeded = false;
        try
        {
            succeeded = await invoker.InvokeAsync(function.Name, envelope, held);
            if (!succeeded)
            {
                LogTimerFailed(logger, function.Name, null);
            }
        }
        catch (HttpRequestException ex)
        {
            LogTimerFailed(logger, function.Name, ex);
        }
        var done = time.GetUtcNow();
        var status = new TimerScheduleStatus { Last = occurrence, Next = cron.GetNextOccurrence(done, TimeZoneInfo.Utc), LastUpdated = done };
        await storage.WriteStatusAsync(function.Name, status, held);
        // Written after the status, so an occurrence logged here is one the next holder will not run again.
        LogFired(logger, function.Name, occurrence, pastDue, previous?.Last, succeeded);
        return status;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {Function} ran for {Occurrence:O} (past due: {PastDue}, last: {Last:O}, succeeded: {Succeeded})")]
    private static partial void LogFired(ILogger logger, string function, DateTimeOffset occurrence, bool pastDue, DateTimeOffset? last, bool succeeded);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer {Function} invocation failed")]
    private static partial void LogTimerFailed(ILogger logger, string function, Exception? ex);
}
