using System.Net;
using System.Net.Sockets;

namespace EventMonitor.Tests.Infrastructure;

public static class Ports
{
    // Below Linux's ephemeral range (32768+), where outgoing connections take their source ports: a port
    // the OS handed out for "any free port" can be taken by a client before the server binds it.
    private const int First = 21000;
    private const int Last = 32000;

    /// <summary>A port that was free a moment ago, chosen at random outside the ephemeral range.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            if (CanBind(port))
            {
                return port;
            }
        }
        throw new InvalidOperationException($"No free port between {First} and {Last}.");
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
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
