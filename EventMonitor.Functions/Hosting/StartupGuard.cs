using EventMonitor.Functions.CustomHandler;

namespace EventMonitor.Functions.Hosting;

/// <summary>
/// The anonymous-loopback and fetch-from-loopback allowances are for local Development only: behind
/// the Functions host every request comes from 127.0.0.1, so they would open everything. Fault
/// injection is refused in the same places: it fails real jobs on purpose.
/// </summary>
internal static class StartupGuard
{
    public static string? Refusal(IConfiguration configuration, IHostEnvironment environment)
    {
        var allowances = new List<string>();
        if (configuration.GetValue<bool>("Auth:AllowAnonymousLoopback"))
        {
            allowances.Add("Auth:AllowAnonymousLoopback");
        }
        if (configuration.GetSection("Fetch:AllowedOrigins").GetChildren().Any(c => !string.IsNullOrWhiteSpace(c.Value)))
        {
            allowances.Add("Fetch:AllowedOrigins");
        }
        if (!string.IsNullOrWhiteSpace(configuration["Faults:ThrowForUrlPrefix"]))
        {
            allowances.Add("Faults:ThrowForUrlPrefix");
        }
        if (allowances.Count == 0)
        {
            return null;
        }
        if (HostingMode.UnderFunctionsHost)
        {
            return $"Refusing to start: {string.Join(" and ", allowances)} must be off under the Functions host ({HostingMode.PortVariable} is set), where every request comes from loopback.";
        }
        if (!environment.IsDevelopment())
        {
            return $"Refusing to start: {string.Join(" and ", allowances)} are allowed only in the Development environment (this is {environment.EnvironmentName}).";
        }
        return null;
    }
}
