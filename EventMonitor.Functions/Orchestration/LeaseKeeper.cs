using EventMonitor.Functions.Jobs;

namespace EventMonitor.Functions.Orchestration;

/// <summary>
/// Renews a running job's lease at a third of its length, so only a worker that really died loses
/// its job to the reconciler; stops when the job is no longer this worker's.
/// </summary>
internal sealed class LeaseKeeper : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LeaseKeeper(WorkerSink sink, JobStore jobs, TimeSpan lease, TimeProvider time)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(lease / 3, time, _stop.Token);
                var renewed = await jobs.UpdateAsync(sink.Job, j => j.Status == JobStatus.Processing ? j with { LeaseUntil = time.GetUtcNow() + lease } : null, _stop.Token);
                if (renewed is null)
                {
                    return;
                }
            }
        });
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancelled or failed renewal: the lease simply runs out.
        }
        _stop.Dispose();
    }
}
