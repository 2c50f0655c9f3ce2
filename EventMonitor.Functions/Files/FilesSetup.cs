namespace EventMonitor.Functions.Files;

internal static class FilesSetup
{
    public static IServiceCollection AddFiles(this IServiceCollection services)
    {
        services.AddSingleton<OutputStore>();
        // Registered before AddConversion, whose default cache stores nothing.
        services.AddSingleton<Conversion.Fetching.IFetchCache, BlobFetchCache>();
        return services;
    }
}
