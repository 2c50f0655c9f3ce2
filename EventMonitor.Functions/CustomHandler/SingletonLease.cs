using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace EventMonitor.Functions.CustomHandler;

/// <summary>
/// A blob lease that at most one process holds at a time: acquired for a fixed duration, renewed at a
/// third of it, released when the work ends. A process that cannot acquire it tries again at the same
/// interval, so it takes over within about one lease duration when the holder dies.
/// </summary>
internal sealed partial class SingletonLease(BlobClient blob, TimeSpan duration, TimeProvider time, ILogger logger)
{
    private TimeSpan Interval => duration / 3;

    /// <summary>Runs <paramref name="work"/> whenever this process holds the lease; its token is cancelled when the lease is lost.</summary>
    public async Task RunWhileHeldAsync(Func<CancellationToken, Task> work, CancellationToken stopping)
    {
        await EnsureBlobAsync(stopping);
        var lease = blob.GetBlobLeaseClient();
        while (!stopping.IsCancellationRequested)
        {
            if (!await TryAcquireAsync(lease, stopping))
            {
                await Task.Delay(Interval, time, stopping);
                continue;
            }
            LogAcquired(logger, blob.Name);
            using var held = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var renewing = RenewAsync(lease, held);
            try
            {
                await work(held.Token);
                return;
            }
            catch (OperationCanceledException) when (held.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                // Lost the lease: someone else may hold it now; compete for it again.
            }
            catch (RequestFailedException ex)
            {
                // Storage failed under the work: hand the lease on, and compete again after a pause.
                LogWorkFailed(logger, blob.Name, ex);
            }
            finally
            {
                await held.CancelAsync();
                await renewing;
                await ReleaseAsync(lease);
            }
            await Task.Delay(Interval, time, stopping);
        }
    }

    private async Task EnsureBlobAsync(CancellationToken cancellationToken)
    {
        await blob.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        try
        {
            // Created once and never rewritten: a write would conflict with the holder's lease.
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // It exists (and may be leased): that is all we need.
        }
    }

    private async Task<bool> TryAcquireAsync(BlobLeaseClient lease, CancellationToken cancellationToken)
    {
        try
        {
            await lease.AcquireAsync(duration, cancellationToken: cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
        catch (RequestFailedException ex)
        {
            LogAcquireFailed(logger, blob.Name, ex);
            return false;
        }
    }

    private async Task RenewAsync(BlobLeaseClient lease, CancellationTokenSource held)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Interval, time, held.Token);
                await lease.RenewAsync(cancellationToken: held.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The work ended or the process is stopping.
        }
        catch (RequestFailedException ex)
        {
            // Whether it expired or was taken, this process must stop acting as the holder at once.
            LogLost(logger, blob.Name, ex);
            await held.CancelAsync();
        }
    }

    private static async Task ReleaseAsync(BlobLeaseClient lease)
    {
        try
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }
        catch (RequestFailedException)
        {
            // Already expired or taken over: nothing to hand back.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Holding the lease on {Blob}")]
    private static partial void LogAcquired(ILogger logger, string blob);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not try the lease on {Blob}")]
    private static partial void LogAcquireFailed(ILogger logger, string blob, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage failed while holding the lease on {Blob}")]
    private static partial void LogWorkFailed(ILogger logger, string blob, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease on {Blob}")]
    private static partial void LogLost(ILogger logger, string blob, Exception ex);
}
