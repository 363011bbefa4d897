using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LazyAf.NativeAgent.Tests;

/// <summary>
/// A TCP proxy on loopback between a runner and the host that can cut every connection through it at once, as a
/// network drop would: both sides see their connection reset; new connections go through again.
/// </summary>
internal sealed class DroppingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<TcpClient, TcpClient> _pairs = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public DroppingProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>How many connections have gone through so far.</summary>
    public int Connections { get; private set; }

    /// <summary>Resets every connection open now.</summary>
    public void CutAll()
    {
        foreach (var (inner, outer) in _pairs)
        {
            Reset(inner);
            Reset(outer);
            _pairs.TryRemove(inner, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var inner = await _listener.AcceptTcpClientAsync(_stop.Token);
            var outer = new TcpClient();
            await outer.ConnectAsync(_target, _stop.Token);
            _pairs[inner] = outer;
            Connections++;
            _ = PipeAsync(inner, outer);
            _ = PipeAsync(outer, inner);
        }
    }

    private static async Task PipeAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // Cut, or the other side went away.
        }
        Reset(to);
    }

    private static void Reset(TcpClient client)
    {
        if (client.Client is not { } socket)
            return;
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            client.Close();
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            // Already closed.
        }
    }
}
