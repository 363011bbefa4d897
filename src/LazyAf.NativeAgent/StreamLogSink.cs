using System.Threading.Channels;
using LazyAf.Protocol;
using LazyAf.Protocol.V1;
using LazyAf.Runner;
using LogChunk = LazyAf.Runner.LogChunk;

namespace LazyAf.NativeAgent;

/// <summary>
/// Ships a run's log chunks to the host, in seq order, through the agent's one outgoing queue (whose pace is the
/// step's pace). It keeps the most recent chunks (up to <see cref="ReplayBytes"/>) so that after a reconnect it can
/// send again whatever the host had not stored when the old stream broke.
/// </summary>
internal sealed class StreamLogSink(ChannelWriter<RunnerMessage> outgoing) : ILogSink
{
    public const int ReplayBytes = 8 * 1024 * 1024;

    private readonly Queue<Protocol.V1.LogChunk> _recent = new();
    private long _recentBytes;
    private long _lastSeq;

    /// <summary>The seq of the last chunk shipped.</summary>
    public long LastSeq => Interlocked.Read(ref _lastSeq);

    public async ValueTask WriteAsync(LogChunk chunk, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var wire = WireResults.ToWire(chunk);
        lock (_recent)
        {
            _recent.Enqueue(wire);
            _recentBytes += wire.Data.Length;
            while (_recentBytes > ReplayBytes && _recent.Count > 1)
                _recentBytes -= _recent.Dequeue().Data.Length;
        }
        await outgoing.WriteAsync(new RunnerMessage { Log = wire }, ct);
        Interlocked.Exchange(ref _lastSeq, chunk.Seq);
    }

    /// <summary>The chunks after <paramref name="seq"/>, or null when the oldest kept is later than the one after it.</summary>
    public IReadOnlyList<Protocol.V1.LogChunk>? After(long seq)
    {
        lock (_recent)
        {
            if (_recent.Count > 0 && _recent.Peek().Seq > seq + 1)
                return null;
            return [.. _recent.Where(c => c.Seq > seq)];
        }
    }
}
