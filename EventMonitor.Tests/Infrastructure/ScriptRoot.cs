using System.Text.Json.Nodes;

namespace EventMonitor.Tests.Infrastructure;

/// <summary>
/// A Functions script root for <c>TriggerRunner__ScriptRoot</c>: the app's own function folders and
/// host.json, with test-sized queue settings, so retries and the poison queue take seconds.
/// </summary>
public sealed class ScriptRoot : IDisposable
{
    public ScriptRoot(JsonObject queues)
    {
        Path = Directory.CreateTempSubdirectory("em-script-").FullName;
        foreach (var file in Directory.EnumerateFiles(RepoPaths.AppDirectory, "function.json", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(Path, System.IO.Path.GetRelativePath(RepoPaths.AppDirectory, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var host = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(RepoPaths.AppDirectory, "host.json")))!;
        var settings = host["extensions"]!["queues"]!.AsObject();
        foreach (var (name, value) in queues)
        {
            settings[name] = value?.DeepClone();
        }
        File.WriteAllText(System.IO.Path.Combine(Path, "host.json"), host.ToJsonString());
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
