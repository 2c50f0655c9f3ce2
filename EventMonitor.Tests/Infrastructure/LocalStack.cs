namespace EventMonitor.Tests.Infrastructure;

/// <summary>
/// One Azurite and one Cosmos emulator for the whole test run, in memory on free ports. If either
/// cannot start, every test that needs them fails: nothing is skipped.
/// </summary>
public sealed class LocalStack : IAsyncLifetime
{
    public const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    public const string CosmosKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XyHCtA==";

    private ChildProcess? _azurite;
    private ChildProcess? _cosmos;

    public int AzuritePort { get; private set; }
    public int CosmosPort { get; private set; }

    public string StorageConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteKey};" +
        $"BlobEndpoint=http://127.0.0.1:{AzuritePort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{AzuritePort + 1}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{AzuritePort + 2}/devstoreaccount1;";

    public string CosmosConnectionString => $"AccountEndpoint=http://127.0.0.1:{CosmosPort}/;AccountKey={CosmosKey};";

    public async ValueTask InitializeAsync()
    {
        AzuritePort = Ports.FreeRun(3);
        _azurite = new ChildProcess("node",
        [
            Path.Combine(RepoPaths.Root, "node_modules", "azurite", "dist", "src", "azurite.js"),
            "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", AzuritePort.ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", (AzuritePort + 1).ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", (AzuritePort + 2).ToString(),
        ]);
        CosmosPort = Ports.Free();
        _cosmos = new ChildProcess("node", [Path.Combine(RepoPaths.Root, "emulators", "cosmos", "server.js"), "--port", CosmosPort.ToString()]);
        await Ports.WaitOpenAsync(AzuritePort, TimeSpan.FromSeconds(60), () => _azurite.Output);
        await Ports.WaitOpenAsync(AzuritePort + 1, TimeSpan.FromSeconds(60), () => _azurite.Output);
        await Ports.WaitOpenAsync(CosmosPort, TimeSpan.FromSeconds(60), () => _cosmos.Output);
    }

    /// <summary>The app's settings for this stack; each caller picks its own database and names so tests don't share state.</summary>
    public Dictionary<string, string?> AppEnvironment(string database) => new()
    {
        ["Storage__ConnectionString"] = StorageConnectionString,
        ["Storage__CosmosConnectionString"] = CosmosConnectionString,
        ["Storage__CosmosGatewayOnly"] = "true",
        ["Storage__CosmosDatabase"] = database,
        ["COSMOS_DISABLE_IMDS_ACCESS"] = "true",
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            // The assembly fixture is disposed after every test: the one place that sees the whole run.
            if (EndpointCoverage.FullRun)
            {
                EndpointCoverage.AssertComplete();
            }
        }
        finally
        {
            if (_azurite is not null)
            {
                await _azurite.DisposeAsync();
            }
            if (_cosmos is not null)
            {
                await _cosmos.DisposeAsync();
            }
        }
    }
}
