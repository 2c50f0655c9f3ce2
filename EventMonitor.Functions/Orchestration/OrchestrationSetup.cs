using EventMonitor.Functions.CustomHandler;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Orchestration;

internal static class OrchestrationSetup
{
    public static IServiceCollection AddOrchestration(this IServiceCollection services)
    {
        services.AddOptions<OrchestrationOptions>().BindConfiguration(OrchestrationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FaultOptions>().BindConfiguration(FaultOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The same host.json limits apply under the Functions host and in the standalone runner.
        services.AddSingleton(sp => HostQueueSettings.Load(sp.GetRequiredService<IOptions<TriggerRunnerOptions>>().Value.ResolvedScriptRoot));
        services.AddSingleton<WorkQueue>();
        services.AddSingleton<SessionWorker>();
        services.AddSingleton<SiteLimiter>();
        services.AddSingleton<Reconciler>();
        return services;
    }
}
