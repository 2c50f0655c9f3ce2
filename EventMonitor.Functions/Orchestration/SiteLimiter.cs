using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace EventMonitor.Functions.Orchestration;

/// <summary>
/// Politeness: at most <see cref="OrchestrationOptions.MaxConcurrentPerSite"/> conversions of pages of the
/// same site at once in this instance, however many work items run in parallel.
/// </summary>
internal sealed class SiteLimiter(IOptions<OrchestrationOptions> options)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _sites = new(StringComparer.OrdinalIgnoreCase);

    public async Task<T> RunAsync<T>(Uri page, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var gate = _sites.GetOrAdd(page.Authority, _ => new SemaphoreSlim(options.Value.MaxConcurrentPerSite));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            gate.Release();
        }
    }
}
