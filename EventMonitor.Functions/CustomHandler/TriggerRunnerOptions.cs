using System.ComponentModel.DataAnnotations;

namespace EventMonitor.Functions.CustomHandler;

/// <summary>Settings of the standalone trigger runner, which stands in for the Functions host locally.</summary>
internal sealed class TriggerRunnerOptions
{
    public const string Section = "TriggerRunner";

    /// <summary>On by default when standalone; always off under the Functions host.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where host.json and the function folders are; the app's own folder by default.</summary>
    public string? ScriptRoot { get; set; }

    /// <summary>How long a received message stays invisible while its invocation runs; renewed at half-time.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MessageLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Fastest polling interval when a queue is busy; backs off to host.json maxPollingInterval.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>After SIGTERM, how long running invocations may go on before they are cancelled (and release their jobs).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Names this app in the timers' lease and status blobs; the Cosmos database name when empty.</summary>
    [RegularExpression("^[A-Za-z0-9-]{1,32}$")]
    public string? HostId { get; set; }

    /// <summary>How long a timer's singleton lease lasts (Blob Storage allows 15 to 60 s); renewed at a third of it.</summary>
    [Range(typeof(TimeSpan), "00:00:15", "00:01:00")]
    public TimeSpan TimerLease { get; set; } = TimeSpan.FromSeconds(30);

    public string ResolvedScriptRoot => string.IsNullOrEmpty(ScriptRoot) ? AppContext.BaseDirectory : ScriptRoot;
}
