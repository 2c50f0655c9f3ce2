using System.Net;
using System.Net.Sockets;

namespace EventMonitor.Tests.Infrastructure;

public static class Ports
{
    /// <summary>A port that was free a moment ago; the OS picks it, so parallel runs don't collide.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Three consecutive free ports (Azurite's blob, queue and table).</summary>
    public static int FreeRun(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var first = Free();
            var listeners = new List<TcpListener>();
            try
            {
                for (var p = first; p < first + count; p++)
                {
                    var l = new TcpListener(IPAddress.Loopback, p);
                    l.Start();
                    listeners.Add(l);
                }
                return first;
            }
            catch (SocketException)
            {
                // Taken; try another run.
            }
            finally
            {
                listeners.ForEach(l => l.Stop());
            }
        }
        throw new InvalidOperationException("No run of free ports found.");
    }

    public static async Task WaitOpenAsync(int port, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"Port {port} did not open within {timeout}. {diagnostics?.Invoke()}");
    }

    public static bool IsOpen(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
