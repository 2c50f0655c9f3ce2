using EventMonitor.Functions.Hosting;

namespace EventMonitor.Functions.Dashboard;

/// <summary>
/// The monitoring dashboard at <c>/monitor</c>: static files only, unauthenticated;
/// the page itself calls the public API with the key the user enters.
/// </summary>
internal static class DashboardSetup
{
    /// <summary>Only our own scripts, styles and API: no inline code, no third-party origin, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string ApiDocsPath = "/api/docs";

    public static IServiceCollection AddDashboard(this IServiceCollection services) => services.AddSingleton<DashboardAssets>();

    public static RouteGroupBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/monitor").ExcludeFromDescription();
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        group.MapMethods("/", methods, (HttpContext context, DashboardAssets assets) => Serve(context, assets, "index.html"));
        group.MapMethods("/{**path}", methods, (string path, HttpContext context, DashboardAssets assets) => Serve(context, assets, path));
        // The page that renders the OpenAPI document; public like the document itself.
        endpoints.MapMethods(ApiDocsPath, methods, (HttpContext context, DashboardAssets assets) => Serve(context, assets, "api-docs.html")).ExcludeFromDescription();
        return group;
    }

    private static IResult Serve(HttpContext context, DashboardAssets assets, string path)
    {
        var asset = assets.Find(path) ?? throw ApiException.NotFound("Dashboard file", path);
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        // Revalidate every time, so a new deployment is picked up at once, but skip the body when unchanged.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }
}
