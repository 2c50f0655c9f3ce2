using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventMonitor.Functions.CustomHandler;
using EventMonitor.Tests.Infrastructure;

namespace EventMonitor.Tests.Foundation;

/// <summary>The function.json folders and the app's endpoints agree, and HTTP functions cannot reach triggers.</summary>
public sealed class FunctionContractTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly string FunctionsRoot = Path.Combine(RepoPaths.Root, "functions");

    private static IReadOnlyList<FunctionManifest> Manifests() => FunctionManifest.Load(FunctionsRoot);

    [Fact]
    public void Every_function_folder_is_a_known_function_and_every_known_function_has_a_folder()
    {
        var folders = Directory.GetDirectories(FunctionsRoot).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var known = FunctionNames.Triggers.Concat(FunctionNames.Http).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(known, folders);
        Assert.Equal(FunctionNames.Http.Order(StringComparer.Ordinal), Manifests().Where(m => m.TriggerType == "httpTrigger").Select(m => m.Name).Order(StringComparer.Ordinal));
        Assert.Equal(FunctionNames.Triggers.Order(StringComparer.Ordinal), Manifests().Where(m => m.TriggerType != "httpTrigger").Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_trigger_function_has_its_post_endpoint_answering_the_host_envelope()
    {
        using var client = fixture.App.Client();
        foreach (var manifest in Manifests().Where(m => m.TriggerType != "httpTrigger"))
        {
            var envelope = new { Data = new Dictionary<string, object?> { [manifest.BindingName] = manifest.TriggerType == "timerTrigger" ? new { IsPastDue = false } : "{}" }, Metadata = new { DequeueCount = 1 } };
            using var response = await client.PostAsJsonAsync(manifest.Name, envelope);
            Assert.True(response.IsSuccessStatusCode, $"POST /{manifest.Name} answered {(int)response.StatusCode}");
            using var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.True(reply.RootElement.TryGetProperty("Logs", out _), "the reply has no Logs");
            Assert.True(reply.RootElement.TryGetProperty("Outputs", out _), "the reply has no Outputs");
        }
    }

    [Fact]
    public async Task A_post_to_a_name_that_is_no_function_answers_404()
    {
        using var client = fixture.App.Client();
        using var response = await client.PostAsJsonAsync("NoSuchFunction", new { Data = new { }, Metadata = new { } });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task No_http_function_route_reaches_a_trigger_endpoint()
    {
        var prefixes = Manifests().Where(m => m.TriggerType == "httpTrigger")
            .Select(m => m.Get("route")!.Replace("{*rest}", "", StringComparison.Ordinal)).ToList();
        Assert.Equal(["api/", "monitor/"], prefixes.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Manifests(), m => m.TriggerType == "httpTrigger" && (m.Get("route") ?? "").Contains("{*", StringComparison.Ordinal) && !prefixes.Any(p => m.Get("route")!.StartsWith(p, StringComparison.Ordinal)));

        using var client = fixture.App.Client(fixture.Keys.Admin);
        foreach (var prefix in prefixes)
        {
            foreach (var trigger in FunctionNames.Triggers)
            {
                Assert.False(trigger.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
                using var response = await client.PostAsJsonAsync(prefix + trigger, new { Data = new { }, Metadata = new { } });
                Assert.False(response.IsSuccessStatusCode, $"POST /{prefix}{trigger} answered {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public void Host_json_forwards_http_and_has_an_empty_route_prefix()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")));
        var root = host.RootElement;

        Assert.True(root.GetProperty("customHandler").GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal("", root.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal("none", root.GetProperty("extensions").GetProperty("queues").GetProperty("messageEncoding").GetString());
        Assert.True(File.Exists(Path.Combine(RepoPaths.AppDirectory, "host.json")), "host.json is not beside the executable");
        foreach (var name in FunctionNames.Triggers.Concat(FunctionNames.Http))
        {
            Assert.True(File.Exists(Path.Combine(RepoPaths.AppDirectory, name, "function.json")), $"{name}/function.json is not in the script root");
        }
    }
}
