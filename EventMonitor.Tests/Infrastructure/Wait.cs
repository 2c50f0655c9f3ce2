namespace EventMonitor.Tests.Infrastructure;

/// <summary>Polls a condition until it holds; past the timeout the test fails with what <c>describe</c> says.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {timeout}: {describe()}");
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(200));
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, describe, interval);
}
