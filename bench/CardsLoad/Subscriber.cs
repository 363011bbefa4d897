using System.Net.WebSockets;

namespace CardsLoad;

/// <summary>
/// One <c>/ws</c> client: stamps each message with the wall clock on arrival (the clock the host's
/// <c>at</c> comes from) and keeps (id, arrival) in order; it counts the events whose card title
/// starts with <see cref="MeasuredPrefix"/> so the benchmark knows when the stream has drained.
/// </summary>
internal sealed class Subscriber(EventCatalog catalog, int expected) : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly List<(long Id, long ArrivedTicks)> _deliveries = new(expected + 16);
    private Task _receiving = Task.CompletedTask;
    private int _received;
    private int _measured;
    private volatile bool _closing;
    private bool _disposed;
    private volatile string? _measuredPrefix;

    /// <summary>The title prefix of the events being measured now; null while none are.</summary>
    public string? MeasuredPrefix
    {
        get => _measuredPrefix;
        set => _measuredPrefix = value;
    }

    public int Received => Volatile.Read(ref _received);

    public int Measured => Volatile.Read(ref _measured);

    /// <summary>Why the stream ended before the benchmark closed it (e.g. the host cut a slow client off).</summary>
    public string? EndedEarly { get; private set; }

    /// <summary>Every message with an event id, in arrival order; read only after <see cref="DisposeAsync"/>.</summary>
    public IReadOnlyList<(long Id, long ArrivedTicks)> Deliveries => _deliveries;

    public async Task ConnectAsync(Uri ws, string? token)
    {
        if (token is not null)
            _socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        await _socket.ConnectAsync(ws, CancellationToken.None);
        _receiving = Task.Run(ReceiveAsync);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (!_closing)
                        EndedEarly = $"closed by the host: {_socket.CloseStatus} {_socket.CloseStatusDescription}";
                    return;
                }
                filled += result.Count;
                if (!result.EndOfMessage)
                {
                    if (filled == buffer.Length)
                        Array.Resize(ref buffer, buffer.Length * 2);
                    continue;
                }
                var arrived = DateTime.UtcNow.Ticks;
                Handle(buffer.AsSpan(0, filled), arrived);
                filled = 0;
            }
        }
        catch (WebSocketException ex) when (!_closing)
        {
            EndedEarly = $"stream failed: {ex.Message}";
        }
        catch (Exception ex) when (_closing && ex is WebSocketException or OperationCanceledException)
        {
            // The host dropped the connection (or we aborted it) once we said goodbye.
        }
    }

    private void Handle(ReadOnlySpan<byte> message, long arrived)
    {
        var id = catalog.Record(message);
        if (id < 0)
            return;
        _deliveries.Add((id, arrived));
        Interlocked.Increment(ref _received);
        if (MeasuredPrefix is { } prefix && catalog[id].Title?.StartsWith(prefix, StringComparison.Ordinal) == true)
            Interlocked.Increment(ref _measured);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        _closing = true;
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }
        if (await Task.WhenAny(_receiving, Task.Delay(TimeSpan.FromSeconds(2))) != _receiving)
            _socket.Abort();
        await _receiving;
        _socket.Dispose();
    }
}
