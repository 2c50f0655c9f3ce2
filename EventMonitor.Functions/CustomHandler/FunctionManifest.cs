using System.Text.Json;

namespace EventMonitor.Functions.CustomHandler;

/// <summary>One function.json as the Functions host reads it: the folder name and its trigger binding.</summary>
internal sealed record FunctionManifest(string Name, string TriggerType, JsonElement Trigger)
{
    public string? Get(string property) =>
        Trigger.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public string BindingName => Get("name") ?? "input";

    /// <summary>Reads every <c>*/function.json</c> below the script root.</summary>
    public static IReadOnlyList<FunctionManifest> Load(string scriptRoot)
    {
        var manifests = new List<FunctionManifest>();
        foreach (var file in Directory.EnumerateFiles(scriptRoot, "function.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(Path.GetDirectoryName(file)!);
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var binding in document.RootElement.GetProperty("bindings").EnumerateArray())
            {
                var type = binding.GetProperty("type").GetString() ?? "";
                if (type.EndsWith("Trigger", StringComparison.Ordinal))
                {
                    manifests.Add(new FunctionManifest(name, type, binding.Clone()));
                }
            }
        }
        return manifests;
    }
}

/// <summary>The queue settings of host.json that the standalone runner honours, with the host's defaults.</summary>
internal sealed record HostQueueSettings
{
    public int BatchSize { get; init; } = 16;
    public int MaxDequeueCount { get; init; } = 5;
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);

    public static HostQueueSettings Load(string scriptRoot)
    {
        var path = Path.Combine(scriptRoot, "host.json");
        if (!File.Exists(path))
        {
            return new HostQueueSettings();
        }
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("extensions", out var extensions) || !extensions.TryGetProperty("queues", out var queues))
        {
            return new HostQueueSettings();
        }
        var defaults = new HostQueueSettings();
        return new HostQueueSettings
        {
            BatchSize = queues.TryGetProperty("batchSize", out var b) ? b.GetInt32() : defaults.BatchSize,
            MaxDequeueCount = queues.TryGetProperty("maxDequeueCount", out var m) ? m.GetInt32() : defaults.MaxDequeueCount,
            VisibilityTimeout = queues.TryGetProperty("visibilityTimeout", out var v) ? TimeSpan.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : defaults.VisibilityTimeout,
            MaxPollingInterval = queues.TryGetProperty("maxPollingInterval", out var p) ? TimeSpan.Parse(p.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : defaults.MaxPollingInterval,
        };
    }
}
