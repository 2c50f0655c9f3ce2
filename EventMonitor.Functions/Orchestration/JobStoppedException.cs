namespace EventMonitor.Functions.Orchestration;

/// <summary>The job was cancelled, failed or deleted by someone else while it ran: stop without writing more.</summary>
internal sealed class JobStoppedException(string message) : Exception(message);
