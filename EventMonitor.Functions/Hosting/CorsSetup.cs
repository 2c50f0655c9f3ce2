namespace EventMonitor.Functions.Hosting;

/// <summary>Cross-origin browser access is denied unless an origin is on the <c>Cors:AllowedOrigins</c> list.</summary>
internal static class CorsSetup
{
    private const string Policy = "configured-origins";

    public static IServiceCollection AddCorsAllowList(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
        services.AddCors(o => o.AddPolicy(Policy, p =>
        {
            p.WithOrigins(origins).WithMethods("GET", "POST", "PUT", "DELETE")
                .WithHeaders("Authorization", "X-API-Key", "Content-Type", "If-Match", "Idempotency-Key")
                .WithExposedHeaders("ETag");
        }));
        return services;
    }

    public static IApplicationBuilder UseCorsAllowList(this IApplicationBuilder app) => app.UseCors(Policy);
}
