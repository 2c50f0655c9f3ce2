using EventMonitor.Functions.Archiving;

namespace EventMonitor.Functions.Batches;

internal static class BatchesSetup
{
    public static IServiceCollection AddBatches(this IServiceCollection services)
    {
        services.AddSingleton<BatchStore>();
        services.AddSingleton<BatchCounter>();
        services.AddSingleton<BatchService>();
        services.AddSingleton<BatchFanOut>();
        services.AddSingleton<BatchJobs>();
        services.AddSingleton<ZipExport>();
        services.AddSingleton<BatchArchiver>();
        services.AddSingleton<BatchPurger>();
        services.AddOptions<ArchiveOptions>().BindConfiguration(ArchiveOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
