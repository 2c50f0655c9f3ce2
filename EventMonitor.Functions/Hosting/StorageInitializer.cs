using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Hosting;

/// <summary>Creates the database, containers, blob container and queues when missing, before the app serves.</summary>
internal sealed partial class StorageInitializer(
    CosmosClient cosmos,
    BlobServiceClient blobs,
    QueueServiceClient queues,
    IOptions<StorageOptions> options,
    ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var database = (await cosmos.CreateDatabaseIfNotExistsAsync(o.CosmosDatabase, cancellationToken: cancellationToken)).Database;
        await database.CreateContainerIfNotExistsAsync(ContainerDefinitions.State(), cancellationToken: cancellationToken);
        await database.CreateContainerIfNotExistsAsync(ContainerDefinitions.Events(), cancellationToken: cancellationToken);
        await blobs.GetBlobContainerClient(o.OutputContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await blobs.GetBlobContainerClient(o.CacheContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await queues.GetQueueClient(o.WorkQueue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await queues.GetQueueClient(o.PoisonQueue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        LogReady(logger, o.CosmosDatabase, o.OutputContainer, o.WorkQueue);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready: database {Database}, container {Container}, queue {Queue}")]
    private static partial void LogReady(ILogger logger, string database, string container, string queue);
}
