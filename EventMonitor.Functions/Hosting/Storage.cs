using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Hosting;

/// <summary>The three Azure clients, as singletons, and the containers and queues the app needs.</summary>
internal static class Storage
{
    public const string StateContainer = "state";
    public const string EventsContainer = "events";

    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Configure<IConfiguration>((o, configuration) => o.WorkQueue = configuration["WorkQueueName"] ?? StorageOptions.DefaultWorkQueue)
            .ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrEmpty(o.ConnectionString) || !string.IsNullOrEmpty(o.AccountName), "Storage:ConnectionString or Storage:AccountName is required.")
            .Validate(o => !string.IsNullOrEmpty(o.CosmosConnectionString) || !string.IsNullOrEmpty(o.CosmosEndpoint), "Storage:CosmosConnectionString or Storage:CosmosEndpoint is required.")
            .ValidateOnStart();

        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var options = CosmosOptions(o.CosmosGatewayOnly);
            return string.IsNullOrEmpty(o.CosmosConnectionString)
                ? new CosmosClient(o.CosmosEndpoint, new DefaultAzureCredential(), options)
                : new CosmosClient(o.CosmosConnectionString, options);
        });
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return string.IsNullOrEmpty(o.ConnectionString)
                ? new BlobServiceClient(new Uri($"https://{o.AccountName}.blob.core.windows.net"), new DefaultAzureCredential())
                : new BlobServiceClient(o.ConnectionString);
        });
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            // host.json sets messageEncoding "none": messages are plain JSON text on both sides.
            var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
            return string.IsNullOrEmpty(o.ConnectionString)
                ? new QueueServiceClient(new Uri($"https://{o.AccountName}.queue.core.windows.net"), new DefaultAzureCredential(), queueOptions)
                : new QueueServiceClient(o.ConnectionString, queueOptions);
        });
        services.AddSingleton(sp => new StateStore(sp.GetRequiredService<CosmosClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddHostedService<StorageInitializer>();
        return services;
    }

    /// <summary>The Cosmos client settings; the emulator tests build their client from this too, so they query exactly as the app does.</summary>
    public static CosmosClientOptions CosmosOptions(bool gatewayOnly) => new()
    {
        UseSystemTextJsonSerializerWithOptions = AppJson.Options,
        ConnectionMode = gatewayOnly ? ConnectionMode.Gateway : ConnectionMode.Direct,
        LimitToEndpoint = gatewayOnly,
        EnableContentResponseOnWrite = true,
    };
}

/// <summary>The Cosmos containers of the app, resolved once.</summary>
internal sealed class StateStore(CosmosClient client, StorageOptions options)
{
    public Database Database => client.GetDatabase(options.CosmosDatabase);
    public Container State => Database.GetContainer(Storage.StateContainer);
    public Container Events => Database.GetContainer(Storage.EventsContainer);
}
