using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LazyAf.Runner.Tests;

/// <summary>A loopback HTTP server that answers every request 404 and remembers its Authorization header.</summary>
public sealed class HeaderRecordingServer : IDisposable
{
    private readonly HttpListener _listener = new();

    public HeaderRecordingServer()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
        probe.Stop();
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = AnswerAsync();
    }

    public string Url { get; }

    public ConcurrentQueue<string> AuthorizationHeaders { get; } = new();

    public void Dispose() => _listener.Close();

    private async Task AnswerAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            AuthorizationHeaders.Enqueue(context.Request.Headers["Authorization"] ?? "");
            context.Response.StatusCode = 404;
            context.Response.Close();
        }
    }
}
