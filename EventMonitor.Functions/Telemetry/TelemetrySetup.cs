using EventMonitor.Functions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EventMonitor.Functions.Telemetry;

/// <summary>Metrics, traces and logs through OpenTelemetry, to the exporter <c>Telemetry:Exporter</c> names.</summary>
internal static class TelemetrySetup
{
    public const string ServiceName = "event-monitor";

    /// <summary>The app's instruments; recording into them costs next to nothing while nothing listens.</summary>
    public static IServiceCollection AddAppMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<AppMetrics>();
        return services;
    }

    /// <summary>Azure Monitor's standard setting, when <c>Telemetry:AzureMonitorConnectionString</c> is not set.</summary>
    private static void FillConnectionString(TelemetryOptions options, IConfiguration configuration) =>
        options.AzureMonitorConnectionString ??= configuration[TelemetryOptions.ConnectionStringSetting];

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAppMetrics();
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section)
            .Configure<IConfiguration>(FillConnectionString)
            .ValidateDataAnnotations()
            .Validate(o => o.Exporter != TelemetryOptions.AzureMonitor || o.HasConnectionString,
                $"Telemetry:Exporter azuremonitor needs {TelemetryOptions.ConnectionStringSetting}.")
            .ValidateOnStart();

        // Which exporters to wire is decided now; an unusable choice wires none and is refused by the validation above.
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        FillConnectionString(options, builder.Configuration);
        if (!options.Enabled)
        {
            return builder;
        }
        services.AddSingleton<QueueDepth>();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(AppMetrics.MeterName)
                .AddInstrumentation(sp => sp.GetRequiredService<QueueDepth>())
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddExporter(options))
            .WithTracing(tracing => tracing
                .AddSource(Correlation.SourceName)
                .AddAspNetCoreInstrumentation()
                .AddExporter(options));
        // The console logger already prints every log line; the other exporters also ship logs, scopes included.
        if (options.Exporter != TelemetryOptions.Console)
        {
            telemetry.WithLogging(logging => logging.AddExporter(options), logging =>
            {
                logging.IncludeScopes = true;
                logging.IncludeFormattedMessage = true;
            });
        }
        return builder;
    }

    /// <summary>
    /// API requests on a job or batch (route values <c>jobId</c>, <c>batchId</c>) log and trace with its id.
    /// First in the pipeline, so even the error handler's lines carry it.
    /// </summary>
    public static IApplicationBuilder UseCorrelation(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("EventMonitor.Functions.Api");
        return app.Use(async (context, next) =>
        {
            var values = context.Request.RouteValues;
            var jobId = values.GetValueOrDefault("jobId") as string;
            var batchId = values.GetValueOrDefault("batchId") as string;
            jobId = Ids.IsJobId(jobId) ? jobId : null;
            batchId = Ids.IsBatchId(batchId) ? batchId : null;
            if (jobId is null && batchId is null)
            {
                await next(context);
                return;
            }
            using var scope = Correlation.Begin(logger, null, jobId, batchId);
            await next(context);
        });
    }
}
