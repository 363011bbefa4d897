using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using LazyAf.Protocol.V1;

namespace LazyAf.Modules.Execution.Features.Runners;

/// <summary>
/// One open <c>Connect</c> call of a runner: what the host sends it goes through one queue and one writer, so no two
/// tasks ever write the response stream at once. Closing it ends the call with the status given.
/// </summary>
internal sealed class RunnerStream : IDisposable
{
    // Unbounded on purpose: the host sends a runner a handful of messages per step (assign, cancel, drain), so the
    // queue is bounded by the runner's capacity, and callers such as Cancel must never wait. An idle writer runs on the
    // sender's thread: an assignment is written at once, not after the router's next database write frees its thread
    // (the sender's thread-pool queue is where the writer's continuation would wait).
    private readonly Channel<ServerMessage> _outgoing = Channel.CreateUnbounded<ServerMessage>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly CancellationTokenSource _close;

    public RunnerStream(CancellationToken call)
    {
        _close = CancellationTokenSource.CreateLinkedTokenSource(call);
    }

    public string SessionId { get; } = Kernel.Ids.New();

    /// <summary>Cancelled when the call ends or the host closes it.</summary>
    public CancellationToken Closed => _close.Token;

    /// <summary>The status the call ends with when the host closed it (OK when the runner left); null while open.</summary>
    public Status? CloseStatus { get; private set; }

    /// <summary>Executions this stream's runner refused or let time out: it is not offered them again.</summary>
    public ConcurrentDictionary<string, bool> Declined { get; } = new(StringComparer.Ordinal);

    public bool Send(ServerMessage message) => _outgoing.Writer.TryWrite(message);

    /// <summary>Ends the call with <paramref name="status"/> (the first reason wins).</summary>
    public void Close(Status status)
    {
        lock (_outgoing)
        {
            CloseStatus ??= status;
        }
        _outgoing.Writer.TryComplete();
        try
        {
            _close.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call has ended already.
        }
    }

    /// <summary>The call is over (the runner left or its connection broke): stop writing and waiting.</summary>
    public void End() => Close(Status.DefaultSuccess);

    /// <summary>Writes what is queued to the runner until the call ends.</summary>
    public async Task PumpAsync(IAsyncStreamWriter<ServerMessage> writer)
    {
        await foreach (var message in _outgoing.Reader.ReadAllAsync(Closed))
            await writer.WriteAsync(message, Closed);
    }

    public void Dispose()
    {
        _outgoing.Writer.TryComplete();
        _close.Dispose();
    }
}
