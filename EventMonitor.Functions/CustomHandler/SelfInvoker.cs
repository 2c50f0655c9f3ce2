using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EventMonitor.Functions.CustomHandler;

/// <summary>
/// Invokes this app's own <c>POST /{FunctionName}</c> over loopback HTTP, exactly as the Functions host
/// does, so the standalone runner exercises the code path Azure uses.
/// </summary>
internal sealed class SelfInvoker(IServer server, IHttpClientFactory httpClients)
{
    public const string ClientName = "self";

    public async Task<bool> InvokeAsync(string functionName, object envelope, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(ClientName);
        using var response = await client.PostAsJsonAsync(new Uri(BaseAddress(), functionName), envelope, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    private Uri BaseAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server has no address yet.");
        var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal));
        var host = uri.Host is "localhost" ? "127.0.0.1" : uri.Host;
        return new Uri($"{uri.Scheme}://{host}:{uri.Port}/");
    }
}
