namespace EventMonitor.Functions.CustomHandler;

/// <summary>Every function of the app; each name is a folder with a function.json and, for triggers, a POST path.</summary>
internal static class FunctionNames
{
    public const string Api = "Api";
    public const string Monitor = "Monitor";
    public const string ConvertSession = "ConvertSession";
    public const string ConvertSessionPoison = "ConvertSessionPoison";
    public const string Reconciler = "Reconciler";
    public const string ArchiveBatches = "ArchiveBatches";

    /// <summary>The functions the host invokes with a POST envelope (non-HTTP triggers).</summary>
    public static readonly IReadOnlyList<string> Triggers = [ConvertSession, ConvertSessionPoison, Reconciler, ArchiveBatches];

    /// <summary>The HTTP functions the host forwards as they are.</summary>
    public static readonly IReadOnlyList<string> Http = [Api, Monitor];
}
