using EventMonitor.Functions.Hosting;
using EventMonitor.Tests.Infrastructure;
using Microsoft.Azure.Cosmos;

namespace EventMonitor.Tests.Cosmos;

/// <summary>
/// A database of its own on the shared Cosmos emulator, with the app's containers, reached through a
/// client built with the app's own settings (Gateway, LimitToEndpoint, AppJson serializer).
/// </summary>
public sealed class EmulatorDatabase : IAsyncDisposable
{
    private readonly CosmosClient _client;

    private EmulatorDatabase(CosmosClient client, Database database, Container state, Container events)
    {
        _client = client;
        Database = database;
        State = state;
        Events = events;
    }

    public Database Database { get; }
    public Container State { get; }
    public Container Events { get; }

    public static async Task<EmulatorDatabase> CreateAsync(LocalStack stack)
    {
        // The SDK probes the Azure VM metadata endpoint unless told not to; the app sets the same variable.
        Environment.SetEnvironmentVariable("COSMOS_DISABLE_IMDS_ACCESS", "true");
        var client = new CosmosClient(stack.CosmosConnectionString, Storage.CosmosOptions(gatewayOnly: true));
        var database = (await client.CreateDatabaseAsync("q" + Guid.NewGuid().ToString("N")[..12])).Database;
        var state = (await database.CreateContainerAsync(ContainerDefinitions.State())).Container;
        var events = (await database.CreateContainerAsync(ContainerDefinitions.Events())).Container;
        return new EmulatorDatabase(client, database, state, events);
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DeleteAsync();
        _client.Dispose();
    }
}
