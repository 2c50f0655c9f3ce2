using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EventMonitor.Functions.CustomHandler;

/// <summary>
/// Invokes this app's own <c>POST /{FunctionName}</c> over loopback HTTP, exactly as the Functions host
/// does, so the standalone runner exercises the code path Azure uses.
/// </summary>
internal sealed partial class SelfInvoker(IServer server, IHttpClientFactory httpClients, ILogger<SelfInvoker> logger)
{
    public const string ClientName = "self";

    public async Task<bool> InvokeAsync(string functionName, object envelope, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(ClientName);
        using var response = await client.PostAsJsonAsync(new Uri(BaseAddress(), functionName), envelope, cancellationToken);
        if (response.IsSuccessStatusCode && logger.IsEnabled(LogLevel.Information))
        {
            await LogRepliesAsync(functionName, response, cancellationToken);
        }
        return response.IsSuccessStatusCode;
    }

    /// <summary>The host writes the handler's <c>Logs</c> to its own log; so does the standalone runner.</summary>
    private async Task LogRepliesAsync(string functionName, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await response.Content.ReadFromJsonAsync<InvocationResponse>(cancellationToken);
            foreach (var line in reply?.Logs ?? [])
            {
                LogReply(logger, functionName, line);
            }
        }
        catch (JsonException)
        {
            // Not an envelope: there is nothing to log.
        }
    }

    private Uri BaseAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server has no address yet.");
        var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal));
        var host = uri.Host is "localhost" ? "127.0.0.1" : uri.Host;
        return new Uri($"{uri.Scheme}://{host}:{uri.Port}/");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Function}: {Line}")]
    private static partial void LogReply(ILogger logger, string function, string line);
}
