using System.Globalization;

namespace EventMonitor.Functions.Hosting;

/// <summary>Reads query-string numbers strictly: a bad value is a 400 that names the parameter.</summary>
internal static class QueryParams
{
    public static long Long(HttpRequest request, string name, long defaultValue, long min, long max)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0)
        {
            return defaultValue;
        }
        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw ApiException.BadRequest("invalid_query", $"'{name}' must be a whole number from {min} to {max}.", new Dictionary<string, object?> { ["parameter"] = name });
        }
        return value;
    }

    public static int Int(HttpRequest request, string name, int defaultValue, int min, int max) =>
        (int)Long(request, name, defaultValue, min, max);
}
