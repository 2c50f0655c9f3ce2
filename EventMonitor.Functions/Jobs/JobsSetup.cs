namespace EventMonitor.Functions.Jobs;

internal static class JobsSetup
{
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobOutbox>();
        services.AddSingleton<JobService>();
        services.AddSingleton<JobEndings>();
        return services;
    }
}
