using System.Net.Http.Headers;

namespace EventMonitor.Tests.Infrastructure;

/// <summary>
/// The built app started as a child process on a free port, exactly as run.sh starts it: real
/// Kestrel, real HTTP, the standalone trigger runner and the real emulators.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private AppProcess(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public int Port { get; }
    public Uri BaseAddress { get; }
    public string Output => _process.Output;
    public ChildProcess Process => _process;

    /// <summary>Starts the app and waits until <c>GET /</c> answers (or the process exits).</summary>
    public static async Task<AppProcess> StartAsync(IDictionary<string, string?> environment, int? port = null, TimeSpan? timeout = null)
    {
        var p = port ?? Ports.Free();
        var env = new Dictionary<string, string?>(environment)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{p}",
            ["DOTNET_NOLOGO"] = "1",
        };
        env.TryAdd("ASPNETCORE_ENVIRONMENT", "Development");
        env.TryAdd("Logging__LogLevel__Default", "Warning");
        var app = new AppProcess(new ChildProcess("dotnet", [RepoPaths.AppDll], env, RepoPaths.AppDirectory), p);
        try
        {
            await app.WaitReadyAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch
        {
            // A start that failed must not leave an app behind, working the test's queue.
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n{_process.Output}");
            }
            try
            {
                using var response = await http.GetAsync(BaseAddress);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too slow to answer on a loaded machine: ask again until the deadline.
            }
            await Task.Delay(150);
        }
        throw new TimeoutException($"The app did not answer GET / within {timeout}:\n{_process.Output}");
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient(new EndpointCoverage.RecordingHandler()) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return client;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
