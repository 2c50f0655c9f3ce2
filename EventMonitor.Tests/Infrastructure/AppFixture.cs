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
        var env = Isolated(stack, Database, Keys, Pages);
        env["Fetch__Timeout"] = "00:00:03";
        env["TriggerRunner__MinPollingInterval"] = "00:00:00.100";
        env["Orchestration__MaxAttempts"] = "2";
        env["Orchestration__RetryBaseDelay"] = "00:00:00.200";
        Configure(env);
        return env;
    }

    /// <summary>An app's settings on the shared emulators with its own database, queue, container, keys and allowed page server.</summary>
    public static Dictionary<string, string?> Isolated(LocalStack stack, string database, TestKeys keys, PageServer pages)
    {
        var env = stack.AppEnvironment(database);
        foreach (var (key, value) in keys.Environment())
        {
            env[key] = value;
        }
        env["WorkQueueName"] = "work-" + database;
        env["Storage__OutputContainer"] = "out-" + database;
        env["Storage__CacheContainer"] = "cache-" + database;
        env["Fetch__AllowedOrigins__0"] = pages.Origin;
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
