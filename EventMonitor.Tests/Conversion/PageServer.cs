using System.Net;
using System.Net.Sockets;
using Xunit;

namespace EventMonitor.Tests.Conversion;

/// <summary>A tiny HTTP server on 127.0.0.1 and a free port; each path maps to a handler.</summary>
internal sealed class PageServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, Func<HttpListenerContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    public PageServer()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            try
            {
                _listener.Prefixes.Clear();
                _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Origin => $"http://127.0.0.1:{Port}";

    public Uri Url(string path) => new(Origin + path);

    public PageServer Map(string path, Func<HttpListenerContext, Task> handler)
    {
        lock (_routes)
        {
            _routes[path] = handler;
        }
        return this;
    }

    public PageServer Map(string path, string contentType, byte[] body, int status = 200) => Map(path, async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    });

    public PageServer MapHtml(string path, string html) => Map(path, "text/html; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(html));

    public PageServer Redirect(string path, string location) => Map(path, context =>
    {
        context.Response.StatusCode = 302;
        context.Response.RedirectLocation = location;
        context.Response.Close();
        return Task.CompletedTask;
    });

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                Func<HttpListenerContext, Task>? handler;
                lock (_routes)
                {
                    _routes.TryGetValue(context.Request.Url!.AbsolutePath, out handler);
                }
                try
                {
                    if (handler is null)
                    {
                        context.Response.StatusCode = 404;
                        context.Response.Close();
                        return;
                    }
                    await handler(context);
                }
                catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
                {
                    // The client gave up (size or time limit): that is what the hostile tests provoke.
                }
            });
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }
}
