using System.Threading.Channels;
using LazyAf.Protocol;
using LazyAf.Protocol.V1;
using LazyAf.Runner;
using LogChunk = LazyAf.Runner.LogChunk;

namespace LazyAf.NativeAgent;

/// <summary>Ships a run's log chunks on the runner's stream, in seq order; the stream's queue paces the step.</summary>
internal sealed class StreamLogSink(ChannelWriter<RunnerMessage> outgoing) : ILogSink
{
    private long _lastSeq;

    /// <summary>The seq of the last chunk shipped.</summary>
    public long LastSeq => Interlocked.Read(ref _lastSeq);

    public async ValueTask WriteAsync(LogChunk chunk, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        await outgoing.WriteAsync(new RunnerMessage { Log = WireResults.ToWire(chunk) }, ct);
        Interlocked.Exchange(ref _lastSeq, chunk.Seq);
    }
}
