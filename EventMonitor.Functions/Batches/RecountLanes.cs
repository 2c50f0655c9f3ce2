using System.Collections.Concurrent;

namespace EventMonitor.Functions.Batches;

/// <summary>
/// Folds concurrent recount requests for one batch into as few recounts as correctness allows: a
/// request made while a recount runs waits for the next one, which starts after the running one
/// ends and so sees the requester's change. However many workers finish at once, a batch has at
/// most one recount running and one waiting in this process.
/// </summary>
internal sealed class RecountLanes
{
    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);

    public Task RunAsync(string batchId, Func<Task> recount, CancellationToken cancellationToken)
    {
        var lane = _lanes.GetOrAdd(batchId, _ => new Lane());
        Task next;
        var start = false;
        lock (lane)
        {
            if (lane.Next is null)
            {
                lane.Next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                start = !lane.Running;
                lane.Running = true;
            }
            next = lane.Next.Task;
        }
        if (start)
        {
            _ = DrainAsync(batchId, lane, recount);
        }
        return next.WaitAsync(cancellationToken);
    }

    /// <summary>Runs the waiting recount until none is left, then lets the lane go.</summary>
    private async Task DrainAsync(string batchId, Lane lane, Func<Task> recount)
    {
        while (true)
        {
            TaskCompletionSource round;
            lock (lane)
            {
                if (lane.Next is null)
                {
                    lane.Running = false;
                    _lanes.TryRemove(new KeyValuePair<string, Lane>(batchId, lane));
                    return;
                }
                round = lane.Next;
                lane.Next = null;
            }
            try
            {
                await recount();
                round.SetResult();
            }
            catch (Exception ex)
            {
                round.SetException(ex);
            }
        }
    }

    private sealed class Lane
    {
        public TaskCompletionSource? Next { get; set; }
        public bool Running { get; set; }
    }
}
