using System.Text.RegularExpressions;

namespace EventMonitor.Functions.CustomHandler;

/// <summary>Resolves <c>%Setting%</c> tokens in function.json values from app settings, as the Functions host does.</summary>
internal static partial class BindingExpressions
{
    public static string Resolve(string value, IConfiguration configuration) =>
        Token().Replace(value, match => configuration[match.Groups[1].Value]
            ?? throw new InvalidOperationException($"The app setting '{match.Groups[1].Value}' used in function.json is missing."));

    [GeneratedRegex("%([A-Za-z0-9_:.]+)%")]
    private static partial Regex Token();
}
