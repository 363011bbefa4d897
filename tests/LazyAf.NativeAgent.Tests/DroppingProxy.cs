using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LazyAf.NativeAgent.Tests;

/// <summary>
/// A TCP proxy on loopback between a runner and the host that can cut every connection through it at once, as a
/// network drop would: both sides see their connection reset; new connections go through again. It can also stop passing
/// what the runner sends once a number of bytes have gone through, so a test can cut at a point it chose.
/// </summary>
internal sealed class DroppingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<TcpClient, TcpClient> _pairs = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly object _gate = new();
    private long _upstream;
    private long _holdAt = long.MaxValue;
    private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DroppingProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>How many connections have gone through so far.</summary>
    public int Connections { get; private set; }

    /// <summary>
    /// Passes <paramref name="bytes"/> more of what runners send, then nothing more of it until <see cref="CutAll"/>; the
    /// task completes when that point is reached. What the host sends still goes through.
    /// </summary>
    public Task HoldUpstreamAfter(long bytes)
    {
        lock (_gate)
        {
            _holdAt = _upstream + bytes;
            return _held.Task;
        }
    }

    /// <summary>Resets every connection open now; a hold ends with them.</summary>
    public void CutAll()
    {
        lock (_gate)
        {
            _holdAt = long.MaxValue;
            _released.TrySetResult();
            _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
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
            _ = PipeAsync(inner, outer, upstream: true);
            _ = PipeAsync(outer, inner, upstream: false);
        }
    }

    private async Task PipeAsync(TcpClient from, TcpClient to, bool upstream)
    {
        try
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await from.GetStream().ReadAsync(buffer)) > 0)
            {
                var (pass, released) = upstream ? Take(read) : (read, null);
                await to.GetStream().WriteAsync(buffer.AsMemory(0, pass));
                if (released is null)
                    continue;
                await released;
                return;
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // Cut, or the other side went away.
        }
        Reset(to);
    }

    // How much of a read of the runner's may pass, and what to wait for once the hold is reached.
    private (int Pass, Task? Released) Take(int read)
    {
        lock (_gate)
        {
            var pass = (int)Math.Clamp(_holdAt - _upstream, 0, read);
            _upstream += pass;
            if (pass == read && _upstream < _holdAt)
                return (pass, null);
            _held.TrySetResult();
            return (pass, _released.Task);
        }
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
