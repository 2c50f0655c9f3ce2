using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.CustomHandler;

/// <summary>
/// Stands in for the Functions host when the app runs on its own: reads the same function.json files,
/// polls the queues and fires the timers, and invokes the handler through <c>POST /{FunctionName}</c>.
/// </summary>
internal sealed partial class TriggerRunner(
    IServiceProvider services,
    IOptions<TriggerRunnerOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<TriggerRunner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (HostingMode.UnderFunctionsHost || !options.Value.Enabled)
        {
            return;
        }
        // The handler must be listening before anything is invoked.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var root = options.Value.ResolvedScriptRoot;
        var settings = HostQueueSettings.Load(root);
        var invoker = services.GetRequiredService<SelfInvoker>();
        var time = services.GetRequiredService<TimeProvider>();
        var loops = new List<Task>();
        foreach (var function in FunctionManifest.Load(root).Where(f => f.TriggerType != "httpTrigger"))
        {
            Task loop = function.TriggerType switch
            {
                "queueTrigger" => new QueuePoller(function, services.GetRequiredService<IConfiguration>(), services.GetRequiredService<QueueServiceClient>(), invoker, settings, options.Value, time, logger).RunAsync(stoppingToken),
                "timerTrigger" => new TimerLoop(function, services.GetRequiredService<IConfiguration>(), invoker, services.GetRequiredService<TimerStorage>(), time, logger).RunAsync(stoppingToken),
                _ => Task.CompletedTask,
            };
            LogStarted(logger, function.Name, function.TriggerType);
            loops.Add(Guard(function.Name, loop));
        }
        await Task.WhenAll(loops);
    }

    private async Task Guard(string name, Task loop)
    {
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            LogLoopFailed(logger, name, ex);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Standalone trigger runner: {Function} ({Trigger})")]
    private static partial void LogStarted(ILogger logger, string function, string trigger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Standalone trigger loop {Function} stopped")]
    private static partial void LogLoopFailed(ILogger logger, string function, Exception ex);
}

/// <summary>How the app was started: by the Functions host (which passes the port) or on its own.</summary>
internal static class HostingMode
{
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static string? CustomHandlerPort => Environment.GetEnvironmentVariable(PortVariable);

    public static bool UnderFunctionsHost => !string.IsNullOrEmpty(CustomHandlerPort);
}

internal static class TriggerRunnerSetup
{
    public static IServiceCollection AddTriggerRunner(this IServiceCollection services)
    {
        services.AddOptions<TriggerRunnerOptions>().BindConfiguration(TriggerRunnerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(SelfInvoker.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<SelfInvoker>();
        services.AddSingleton<TimerStorage>();
        services.AddHostedService<TriggerRunner>();
        // The host waits for the runner's grace period (plus a margin) before it stops the web server.
        services.AddOptions<HostOptions>().Configure<IOptions<TriggerRunnerOptions>>((host, runner) => host.ShutdownTimeout = runner.Value.ShutdownGrace + TimeSpan.FromSeconds(5));
        return services;
    }
}
