using EventMonitor.Functions.CustomHandler;

namespace EventMonitor.Functions.Hosting;

/// <summary>Cross-cutting wiring: where the app listens, JSON, limits, errors and security headers.</summary>
internal static class HostingSetup
{
    public const long DefaultMaxRequestBodyBytes = 10 * 1024 * 1024;

    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        // Under the Functions host the port comes from the host, and only loopback may reach us.
        if (HostingMode.CustomHandlerPort is { } port)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
        var maxBody = builder.Configuration.GetValue("Limits:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = maxBody;
        });
        builder.Services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.ConfigureHttpJsonOptions(o => AppJson.Apply(o.SerializerOptions));
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static WebApplication UseHosting(this WebApplication app)
    {
        app.UseErrorEnvelope();
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            headers.CacheControl = "no-store";
            await next(context);
        });
        return app;
    }

    /// <summary><c>GET /</c>: the host probes it until it answers; it tells nothing about dependencies.</summary>
    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => TypedResults.Ok(new { status = "ok", service = "event-monitor" })).ExcludeFromDescription();
        return endpoints;
    }
}
