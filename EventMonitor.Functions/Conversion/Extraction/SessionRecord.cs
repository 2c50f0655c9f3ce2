namespace EventMonitor.Functions.Conversion.Extraction;

/// <summary>What a session page says about one session, typed; text fields hold Markdown.</summary>
internal sealed record SessionRecord
{
    public required string SourceUrl { get; init; }

    /// <summary>Which extractor recognised the page (<c>fosdem</c>, <c>pretalx</c>, …, <c>readability</c>).</summary>
    public required string Platform { get; init; }
    public string? Event { get; init; }
    public string? Title { get; init; }
    public string? Subtitle { get; init; }
    public string? Track { get; init; }
    public string? Room { get; init; }
    public string? Language { get; init; }

    /// <summary>Weekday or label as the page or the caller gives it (<c>Saturday</c>).</summary>
    public string? Day { get; init; }
    public SessionTime? Start { get; init; }
    public SessionTime? End { get; init; }
    public string? TimeZone { get; init; }
    public IReadOnlyList<Speaker> Speakers { get; init; } = [];
    public string? Abstract { get; init; }
    public string? Description { get; init; }

    /// <summary>Main content of a page no extractor recognised (readability fallback), as Markdown.</summary>
    public string? Body { get; init; }
    public IReadOnlyList<LinkRef> Links { get; init; } = [];
    public IReadOnlyList<LinkRef> Attachments { get; init; } = [];
    public IReadOnlyList<LinkRef> Videos { get; init; } = [];
    public IReadOnlyList<LinkRef> Subtitles { get; init; } = [];
    public string? Image { get; init; }
}

internal sealed record Speaker
{
    public required string Name { get; init; }

    /// <summary>Biography as Markdown.</summary>
    public string? Bio { get; init; }
    public string? Url { get; init; }
    public string? Image { get; init; }
}

internal sealed record LinkRef
{
    public required string Url { get; init; }
    public string? Title { get; init; }
    public string? MediaType { get; init; }
    public string? Language { get; init; }
}
