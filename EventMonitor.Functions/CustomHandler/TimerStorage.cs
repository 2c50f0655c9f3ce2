using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using EventMonitor.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.CustomHandler;

/// <summary>
/// Where the standalone runner keeps its timers' singleton leases and schedule status, in the Functions
/// host's own layout: container <c>azure-webjobs-hosts</c>, <c>locks/&lt;host id&gt;/Host.Functions.&lt;name&gt;.Listener</c>
/// and <c>timers/&lt;host id&gt;/Host.Functions.&lt;name&gt;/status</c>. Processes with the same host id are one app.
/// </summary>
internal sealed class TimerStorage(BlobServiceClient blobs, IOptions<TriggerRunnerOptions> runner, IOptions<StorageOptions> storage, TimeProvider time, ILogger<TriggerRunner> logger)
{
    public const string Container = "azure-webjobs-hosts";

    /// <summary>The configured host id, or else the Cosmos database name: apps sharing their state are one app.</summary>
    public string HostId => (string.IsNullOrWhiteSpace(runner.Value.HostId) ? storage.Value.CosmosDatabase : runner.Value.HostId).ToLowerInvariant();

    private BlobContainerClient Blobs => blobs.GetBlobContainerClient(Container);

    public SingletonLease Lease(string function) =>
        new(Blobs.GetBlobClient($"locks/{HostId}/Host.Functions.{function}.Listener"), runner.Value.TimerLease, time, logger);

    /// <summary>The status the last holder wrote after its last run; null before the first run.</summary>
    public async Task<TimerScheduleStatus?> ReadStatusAsync(string function, CancellationToken cancellationToken)
    {
        try
        {
            var content = (await StatusBlob(function).DownloadContentAsync(cancellationToken)).Value.Content;
            return JsonSerializer.Deserialize<TimerScheduleStatus>(content);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (JsonException)
        {
            // Unreadable status: treat it as none, so the timer simply follows its schedule.
            return null;
        }
    }

    /// <summary>Written only while the lease is held, so the container exists (the lease created it).</summary>
    public async Task WriteStatusAsync(string function, TimerScheduleStatus status, CancellationToken cancellationToken) =>
        await StatusBlob(function).UploadAsync(BinaryData.FromObjectAsJson(status), overwrite: true, cancellationToken);

    private BlobClient StatusBlob(string function) => Blobs.GetBlobClient($"timers/{HostId}/Host.Functions.{function}/status");
}
