namespace EventMonitor.Tests.Infrastructure;

/// <summary>
/// One app process per test class, on the shared emulators, with its own database and queue names,
/// API keys, and a page server whose origin is on the fetch allow-list.
/// </summary>
public class AppFixture(LocalStack stack) : IAsyncLifetime
{
    public TestKeys Keys { get; } = new();
    public PageServer Pages { get; } = new();
    public AppProcess App { get; private set; } = null!;
    public string Database { get; } = "t" + Guid.NewGuid().ToString("N")[..12];
    public LocalStack Stack => stack;

    /// <summary>Settings a derived fixture changes, e.g. shorter timeouts.</summary>
    protected virtual void Configure(Dictionary<string, string?> environment)
    {
    }

    public Dictionary<string, string?> Environment()
    {
        var env = stack.AppEnvironment(Database);
        foreach (var (key, value) in Keys.Environment())
        {
            env[key] = value;
        }
        env["WorkQueueName"] = "work-" + Database;
        env["Storage__OutputContainer"] = "out-" + Database;
        env["Fetch__AllowedOrigins__0"] = Pages.Origin;
        env["Fetch__Timeout"] = "00:00:03";
        env["TriggerRunner__MinPollingInterval"] = "00:00:00.100";
        env["Orchestration__MaxAttempts"] = "2";
        env["Orchestration__RetryBaseDelay"] = "00:00:00.200";
        Configure(env);
        return env;
    }

    public async ValueTask InitializeAsync() => App = await AppProcess.StartAsync(Environment());

    public virtual async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        await Pages.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
