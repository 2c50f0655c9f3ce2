namespace EventMonitor.Functions.Orchestration;

/// <summary>Exponential backoff with jitter, honouring a server's Retry-After, bounded in attempts and delay.</summary>
internal sealed record Backoff(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    /// <summary>The delay before the next attempt, or null when <paramref name="attempts"/> used them all up.</summary>
    public TimeSpan? NextDelay(int attempts, TimeSpan? retryAfter)
    {
        if (attempts >= MaxAttempts)
        {
            return null;
        }
        var exponential = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
        var jittered = TimeSpan.FromTicks((long)(exponential.Ticks * (0.5 + (Random.Shared.NextDouble() / 2))));
        return retryAfter is { } asked && asked > jittered ? TimeSpan.FromTicks(Math.Min(asked.Ticks, MaxDelay.Ticks)) : jittered;
    }
}
