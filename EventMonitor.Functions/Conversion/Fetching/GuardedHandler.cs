using System.Net;
using System.Net.Sockets;

namespace EventMonitor.Functions.Conversion.Fetching;

/// <summary>
/// The SSRF guard as an HTTP handler: every connection goes only to public unicast addresses (checked
/// on every resolved address at connect time, so redirects and DNS answers are covered) unless its exact
/// origin is on the allow-list. Page fetches and webhook deliveries both connect through it.
/// </summary>
internal static class GuardedHandler
{
    /// <summary>The code of the <see cref="ConversionException"/> a refused connection fails with.</summary>
    public const string BlockedCode = "ssrf_blocked";

    public static SocketsHttpHandler Create(FetchOptions options)
    {
        var allowed = options.AllowedOrigins.Select(o => OriginKey(new Uri(o))).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // Decompression is the caller's (Body.cs) so that a bomb fails with its own code instead of a size error.
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.ConnectTimeout,
            UseProxy = false,
            UseCookies = false,
            // Our trace context is nobody else's business: no traceparent header goes to the hosts we call.
            ActivityHeadersPropagator = System.Diagnostics.DistributedContextPropagator.CreateNoOutputPropagator(),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var scheme = context.InitialRequestMessage.RequestUri!.Scheme;
                var host = context.DnsEndPoint.Host;
                var key = $"{scheme}://{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? "[" + host + "]" : host)}:{context.DnsEndPoint.Port}";
                var addresses = await Dns.GetHostAddressesAsync(host.Trim('[', ']'), cancellationToken);
                var permitted = allowed.Contains(key) ? addresses : addresses.Where(AddressGuard.IsPublic).ToArray();
                if (permitted.Length == 0 || (!allowed.Contains(key) && permitted.Length != addresses.Length))
                {
                    throw new ConversionException(BlockedCode, $"{host} resolves to an address that may not be fetched.");
                }
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(permitted, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }

    private static string OriginKey(Uri uri) => $"{uri.Scheme}://{uri.Host}:{uri.Port}";
}
