namespace EventMonitor.Tests.Infrastructure;

/// <summary>Finds the repository and the app's build output from the test binary's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    public static string AppDirectory => Path.Combine(Root, "EventMonitor.Functions", "bin", Configuration, "net10.0");

    public static string AppDll => Path.Combine(AppDirectory, "EventMonitor.Functions.dll");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EventMonitor.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("EventMonitor.sln not found above " + AppContext.BaseDirectory);
    }
}
