using System.Globalization;

namespace EventMonitor.Functions.Conversion.Extraction;

/// <summary>
/// A start or end time as exact as its source: date and offset when known, otherwise a floating time.
/// Floating times are the classic silent bug, so exactness is explicit.
/// </summary>
internal sealed record SessionTime
{
    public DateOnly? Date { get; init; }
    public required TimeOnly Time { get; init; }
    public TimeSpan? Offset { get; init; }

    public bool IsExact => Date is not null && Offset is not null;

    private static readonly string[] OffsetFormats = ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-dd HH:mmzzz"];
    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"];
    private static readonly string[] TimeFormats = ["HH:mm", "H:mm", "HH:mm:ss", "H:mm:ss"];

    public static SessionTime? Parse(string? text, DateOnly? date = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        text = text.Trim();
        if (text.EndsWith('Z'))
        {
            text = text[..^1] + "+00:00";
        }
        var invariant = CultureInfo.InvariantCulture;
        if (DateTimeOffset.TryParseExact(text, OffsetFormats, invariant, DateTimeStyles.None, out var exact))
        {
            return new SessionTime { Date = DateOnly.FromDateTime(exact.DateTime), Time = TimeOnly.FromDateTime(exact.DateTime), Offset = exact.Offset };
        }
        if (DateTime.TryParseExact(text, LocalFormats, invariant, DateTimeStyles.None, out var local))
        {
            return new SessionTime { Date = DateOnly.FromDateTime(local), Time = TimeOnly.FromDateTime(local) };
        }
        // "09:30:00+01:00": a time with an offset, as some schedule markup carries it.
        var sign = text.LastIndexOfAny(['+', '-']);
        if (sign > 3 && TimeOnly.TryParseExact(text[..sign], TimeFormats, invariant, DateTimeStyles.None, out var withOffset)
            && TimeSpan.TryParseExact(text[(sign + 1)..], ["hh\\:mm", "hhmm"], invariant, out var offset))
        {
            return new SessionTime { Date = date, Time = withOffset, Offset = text[sign] == '-' ? -offset : offset };
        }
        if (TimeOnly.TryParseExact(text, TimeFormats, invariant, DateTimeStyles.None, out var time))
        {
            return new SessionTime { Date = date, Time = time };
        }
        return null;
    }

    public static SessionTime From(DateTimeOffset value) =>
        new() { Date = DateOnly.FromDateTime(value.DateTime), Time = TimeOnly.FromDateTime(value.DateTime), Offset = value.Offset };

    /// <summary>ISO 8601 as exact as known: <c>2026-01-31T09:30:00+01:00</c>, <c>2026-01-31T09:30:00</c> or <c>09:30</c>.</summary>
    public override string ToString()
    {
        var invariant = CultureInfo.InvariantCulture;
        if (Date is not { } date)
        {
            return Time.ToString(Time.Second == 0 ? "HH:mm" : "HH:mm:ss", invariant);
        }
        var local = date.ToString("yyyy-MM-dd", invariant) + "T" + Time.ToString("HH:mm:ss", invariant);
        if (Offset is not { } offset)
        {
            return local;
        }
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return local + sign + offset.Duration().ToString("hh\\:mm", invariant);
    }
}
