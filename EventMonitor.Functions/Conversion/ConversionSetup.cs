using EventMonitor.Functions.Conversion.Extraction;
using EventMonitor.Functions.Conversion.Fetching;
using EventMonitor.Functions.Conversion.Media;
using EventMonitor.Functions.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventMonitor.Functions.Conversion;

internal static class ConversionSetup
{
    public static IServiceCollection AddConversion(this IServiceCollection services)
    {
        services.AddOptions<FetchOptions>().BindConfiguration(FetchOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.AllowedOrigins.TrueForAll(IsOrigin), "Fetch:AllowedOrigins entries must be exact origins such as http://127.0.0.1:8080.")
            .ValidateOnStart();
        services.AddOptions<ConversionOptions>().BindConfiguration(ConversionOptions.Section);
        services.AddOptions<PdfOptions>().BindConfiguration(PdfOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddAppMetrics();
        // The main team replaces this with the Blob-backed cache.
        services.TryAddSingleton<IFetchCache, NoFetchCache>();
        services.AddSingleton<PageFetcher>();
        services.AddSingleton<SessionExtractor>();
        services.AddSingleton<SubtitleSource>();
        services.AddSingleton<PdfText>();
        services.AddSingleton<AttachmentProcessor>();
        services.AddSingleton<SessionConverter>();
        return services;
    }

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;
}
