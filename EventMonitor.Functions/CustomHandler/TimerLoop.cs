using Cronos;

namespace EventMonitor.Functions.CustomHandler;

/// <summary>Fires one timer function on its six-field NCRONTAB schedule through the host envelope.</summary>
internal sealed partial class TimerLoop(FunctionManifest function, IConfiguration configuration, SelfInvoker invoker, TimeProvider time, ILogger logger)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        var schedule = BindingExpressions.Resolve(function.Get("schedule") ?? throw new InvalidOperationException($"{function.Name} has no schedule."), configuration);
        var cron = CronExpression.Parse(schedule, CronFormat.IncludeSeconds);
        DateTimeOffset? last = null;
        while (!stopping.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = cron.GetNextOccurrence(now, TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }
            await Task.Delay(next.Value - now, time, stopping);
            var following = cron.GetNextOccurrence(next.Value, TimeZoneInfo.Utc);
            var envelope = new InvocationRequestOut
            {
                Data = new Dictionary<string, object?>
                {
                    [function.BindingName] = new Dictionary<string, object?>
                    {
                        ["Schedule"] = new Dictionary<string, object?> { ["AdjustForDST"] = true },
                        ["ScheduleStatus"] = new Dictionary<string, object?> { ["Last"] = last, ["Next"] = following, ["LastUpdated"] = time.GetUtcNow() },
                        ["IsPastDue"] = time.GetUtcNow() - next.Value > TimeSpan.FromSeconds(30),
                    },
                },
                Metadata = new Dictionary<string, object?>
                {
                    ["sys"] = new Dictionary<string, object?> { ["MethodName"] = function.Name, ["UtcNow"] = time.GetUtcNow(), ["RandGuid"] = Guid.NewGuid() },
                },
            };
            try
            {
                if (!await invoker.InvokeAsync(function.Name, envelope, stopping))
                {
                    LogTimerFailed(logger, function.Name, null);
                }
            }
            catch (HttpRequestException ex)
            {
                LogTimerFailed(logger, function.Name, ex);
            }
            last = next;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer {Function} invocation failed")]
    private static partial void LogTimerFailed(ILogger logger, string function, Exception? ex);
}
