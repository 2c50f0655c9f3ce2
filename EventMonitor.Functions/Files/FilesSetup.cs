namespace EventMonitor.Functions.Files;

internal static class FilesSetup
{
    public static IServiceCollection AddFiles(this IServiceCollection services) => services.AddSingleton<OutputStore>();
}
