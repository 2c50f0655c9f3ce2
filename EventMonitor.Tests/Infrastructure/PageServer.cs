using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace EventMonitor.Tests.Infrastructure;

/// <summary>A small web server on 127.0.0.1 that serves what a test tells it to; the only "internet" tests use.</summary>
public sealed class PageServer : IAsyncDisposable
{
    public delegate Task Handler(HttpListenerContext context);

    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Handler> _routes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public PageServer(string host = "127.0.0.1")
    {
        Port = Ports.Free();
        Host = host;
        _listener.Prefixes.Add($"http://{host}:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string Host { get; }
    public string Origin => $"http://{Host}:{Port}";
    public ConcurrentDictionary<string, int> Hits { get; } = new(StringComparer.Ordinal);

    public string Url(string path) => Origin + path;

    public void Map(string path, Handler handler) => _routes[path] = handler;

    public void Html(string path, string html) => Map(path, context => WriteAsync(context, 200, "text/html; charset=utf-8", html));

    public static async Task WriteAsync(HttpListenerContext context, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                var path = context.Request.Url!.AbsolutePath;
                Hits.AddOrUpdate(path, 1, (_, n) => n + 1);
                try
                {
                    if (_routes.TryGetValue(path, out var handler))
                    {
                        await handler(context);
                    }
                    else
                    {
                        await WriteAsync(context, 404, "text/plain", "not found");
                    }
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    // Shutting down mid-response.
                }
                catch (HttpListenerException)
                {
                    // The client went away.
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
            // Closed under the loop.
        }
        _stop.Dispose();
    }
}
