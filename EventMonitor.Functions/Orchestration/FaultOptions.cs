namespace EventMonitor.Functions.Orchestration;

/// <summary>
/// Development-only fault injection, so the host's retries and poison queue can be exercised for real:
/// the session worker throws an unexpected exception (not a conversion error) for every job whose URL
/// starts with <see cref="ThrowForUrlPrefix"/>. The app refuses to start with it outside Development.
/// </summary>
internal sealed class FaultOptions
{
    public const string Section = "Faults";

    public string? ThrowForUrlPrefix { get; set; }

    public bool Throws(string? url) =>
        !string.IsNullOrEmpty(ThrowForUrlPrefix) && url is not null && url.StartsWith(ThrowForUrlPrefix, StringComparison.Ordinal);
}

/// <summary>The exception an injected fault throws; nothing catches it on purpose.</summary>
internal sealed class InjectedFaultException(string message) : Exception(message);
