using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Telemetry;

/// <summary>An exporter the app cannot use is refused at start, with a message that names the setting and no secret.</summary>
public sealed class TelemetrySettingsTests(LocalStack stack)
{
    private const string Secret = "InstrumentationKey=11111111-2222-3333-4444-555555555555;IngestionEndpoint=http://127.0.0.1:9/";

    [Theory]
    [InlineData("prometheus", null, "Telemetry:Exporter must be one of none, console, otlp, azuremonitor.")]
    [InlineData("azuremonitor", null, "Telemetry:Exporter azuremonitor needs APPLICATIONINSIGHTS_CONNECTION_STRING.")]
    [InlineData("azuremonitor", "  ", "Telemetry:Exporter azuremonitor needs APPLICATIONINSIGHTS_CONNECTION_STRING.")]
    [InlineData("otlp-typo", Secret, "Telemetry:Exporter must be one of none, console, otlp, azuremonitor.")]
    public async Task The_app_refuses_to_start_with_an_unusable_exporter(string exporter, string? connectionString, string message)
    {
        var env = stack.AppEnvironment("refused");
        env["Telemetry__Exporter"] = exporter;
        env["APPLICATIONINSIGHTS_CONNECTION_STRING"] = connectionString;
        env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Ports.Free()}";
        await using var process = new ChildProcess("dotnet", [RepoPaths.AppDll], env, RepoPaths.AppDirectory);

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the app kept running");
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains(message, process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("11111111-2222", process.Output, StringComparison.Ordinal);
    }
}
