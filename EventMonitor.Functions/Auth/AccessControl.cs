using System.Net;
using EventMonitor.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Auth;

/// <summary>Every API request needs an API key, except the few public paths listed in docs/api.md.</summary>
internal static class AccessControl
{
    public const string UserIdHeader = "X-User-ID";
    public const string KeyHeader = "X-API-Key";

    public static IServiceCollection AddAccessControl(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .Validate(o => o.Keys.TrueForAll(k => k.Role is Roles.User or Roles.Admin or Roles.Service && k.UserId.Length > 0 && k.Hash.Length > 0),
                "Every Auth:Keys entry needs a Hash, a UserId and a Role of user, admin or service.")
            .ValidateOnStart();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<KeyStore>();
        return services;
    }

    public static IApplicationBuilder UseAccessControl(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (!NeedsCaller(context.Request.Path))
            {
                await next(context);
                return;
            }
            var caller = await AuthenticateAsync(context);
            if (caller is null)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await ErrorHandling.WriteAsync(context, StatusCodes.Status401Unauthorized, "unauthorized", "An API key is required: send it as 'Authorization: Bearer <key>' or 'X-API-Key'.");
                return;
            }
            context.SetCaller(caller);
            await next(context);
        });
        return app;
    }

    private static bool NeedsCaller(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && !path.Equals(ApiDocument.Path, StringComparison.OrdinalIgnoreCase)
        && !path.Equals(Dashboard.DashboardSetup.ApiDocsPath, StringComparison.OrdinalIgnoreCase)
        && !path.Equals("/api/health", StringComparison.OrdinalIgnoreCase)
        && !path.Equals("/api/health/ready", StringComparison.OrdinalIgnoreCase);

    private static async Task<Caller?> AuthenticateAsync(HttpContext context)
    {
        var keys = context.RequestServices.GetRequiredService<ApiKeys>();
        var options = context.RequestServices.GetRequiredService<IOptionsMonitor<AuthOptions>>().CurrentValue;
        var presented = PresentedKey(context.Request);
        var asUser = context.Request.Headers[UserIdHeader].ToString();

        if (presented is null)
        {
            if (options.AllowAnonymousLoopback && IsLoopback(context.Connection.RemoteIpAddress))
            {
                return new Caller(asUser.Length > 0 ? asUser : options.AnonymousUserId, Roles.Admin);
            }
            return null;
        }

        var caller = await keys.FindAsync(presented, context.RequestAborted);
        if (caller is null || asUser.Length == 0)
        {
            return caller;
        }
        // Only a service acts on behalf of a user; anyone else naming a user is refused.
        if (caller.Role != Roles.Service)
        {
            throw ApiException.Forbidden($"Only service keys may send {UserIdHeader}.");
        }
        if (asUser.Length > 200 || asUser.Any(char.IsControl))
        {
            throw ApiException.BadRequest("invalid_header", $"{UserIdHeader} is not a valid user id.");
        }
        return new Caller(asUser, Roles.User);
    }

    private static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers[KeyHeader].ToString();
        if (header.Length > 0)
        {
            return header;
        }
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7
            ? authorization[7..].Trim()
            : null;
    }

    public static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
