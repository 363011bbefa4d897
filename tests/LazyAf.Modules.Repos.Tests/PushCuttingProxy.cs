using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LazyAf.Modules.Repos.Tests;

/// <summary>
/// An HTTP/1.1 proxy on loopback that lets git talk to the host until a push has been sent whole and the host has begun
/// to answer it, then drops both connections: a client that goes away after <c>receive-pack</c> has moved its refs.
/// </summary>
internal sealed class PushCuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _cut = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _accepting;

    public PushCuttingProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Completes when a push has been cut.</summary>
    public Task Cut => _cut.Task;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
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
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_target, _stop.Token);
                var pushSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var requests = ForwardRequestsAsync(client.GetStream(), server.GetStream(), pushSent);
                await ForwardResponsesAsync(server.GetStream(), client.GetStream(), pushSent.Task);
                // The host has begun to answer a push sent whole: drop both sides without passing the answer on.
                client.Client.Close(0);
                server.Client.Close(0);
                _cut.TrySetResult();
                await requests.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // One side closed: so does this relay.
            }
        }
    }

    // Requests are passed on as they are (git sends small pushes with a length); a receive-pack request is noted.
    private async Task ForwardRequestsAsync(NetworkStream from, NetworkStream to, TaskCompletionSource pushSent)
    {
        while (true)
        {
            var head = await ReadHeadAsync(from);
            if (head is null)
                return;
            await to.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
            var length = ContentLength(head);
            if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException("the proxy reads only bodies with a Content-Length; push less");
            // The host answers a push only once it has read all of it: from here on its first byte ends the relay.
            if (head.StartsWith("POST ", StringComparison.Ordinal) && head.Split('\n')[0].Contains("/git-receive-pack", StringComparison.Ordinal))
                pushSent.TrySetResult();
            var buffer = new byte[64 * 1024];
            for (long left = length; left > 0;)
            {
                var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), _stop.Token);
                if (read == 0)
                    return;
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                left -= read;
            }
        }
    }

    // Answers are passed on until one byte of the push's answer has come back; that byte and the rest are dropped.
    private async Task ForwardResponsesAsync(NetworkStream from, NetworkStream to, Task pushSent)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0)
                throw new IOException("the host closed the connection");
            if (pushSent.IsCompleted)
                return;
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    private async Task<string?> ReadHeadAsync(NetworkStream from)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await from.ReadAsync(one, _stop.Token) == 0)
                return null;
            head.Append((char)one[0]);
        }
        return head.ToString();
    }

    private static long ContentLength(string head) =>
        head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } line
            ? long.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
            : 0;
}
