namespace EventMonitor.Functions.Jobs;

/// <summary>What the caller asked for; <c>null</c> means "not given".</summary>
internal sealed record JobParameters
{
    public string? Event { get; init; }
    public string? Session { get; init; }
    public string? Url { get; init; }
    public string? Filename { get; init; }
    public string? Track { get; init; }
    public string? Day { get; init; }
    public string? Starttime { get; init; }
    public string? Endtime { get; init; }
    public IReadOnlyList<string> Speakers { get; init; } = [];
    public string? VideoUrl { get; init; }
    public string? AttachmentsUrl { get; init; }
    public string? SubtitlesUrl { get; init; }
    public string? VideoTranscript { get; init; }
    public string? SourceLanguage { get; init; }
    public string? TargetLanguage { get; init; }
    public bool UseCache { get; init; } = true;
    public string? Webhook { get; init; }
}
