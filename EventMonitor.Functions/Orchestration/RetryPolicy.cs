using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Orchestration;

/// <summary>Exponential backoff with full jitter, honouring a server's Retry-After, bounded in attempts and delay.</summary>
internal sealed class RetryPolicy(IOptions<OrchestrationOptions> options)
{
    /// <summary>The delay before the next attempt, or null when <paramref name="attempts"/> used them all up.</summary>
    public TimeSpan? NextDelay(int attempts, TimeSpan? retryAfter)
    {
        var o = options.Value;
        if (attempts >= o.MaxAttempts)
        {
            return null;
        }
        var exponential = TimeSpan.FromTicks(Math.Min(o.RetryMaxDelay.Ticks, o.RetryBaseDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
        var jittered = TimeSpan.FromTicks((long)(exponential.Ticks * (0.5 + (Random.Shared.NextDouble() / 2))));
        return retryAfter is { } asked && asked > jittered ? TimeSpan.FromTicks(Math.Min(asked.Ticks, o.RetryMaxDelay.Ticks)) : jittered;
    }
}
