using System.Threading.Channels;
using LazyAf.Modules.Execution.Data;
using LazyAf.Runner;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// Stores a run's chunks in batches (every 250 ms or 256 KiB), one transaction and one
/// <c>log.appended</c> event per batch. The bounded queue pushes back on a step that writes faster
/// than the disk takes it, so memory stays bounded. Past <c>maxBytes</c> of step output a marker
/// takes the place of the first chunk dropped and later stdout, stderr and agent events are dropped (the
/// runner's own lines are kept), so one noisy step cannot fill the database.
/// </summary>
internal sealed class StoredLogSink : ILogSink, IAsyncDisposable
{
    private const int MaxBatchBytes = 256 * 1024;
    private static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(250);

    private readonly Channel<LogChunk> _queue = Channel.CreateBounded<LogChunk>(new BoundedChannelOptions(256) { SingleReader = true });
    private readonly LogStore _store;
    private readonly ExecutionIdentity _execution;
    private readonly AgentLines _agentLines = new();
    private readonly Task _writer;
    private readonly long _maxBytes;
    private long _stored;
    private bool _dropping;

    /// <param name="store">Where chunks go.</param>
    /// <param name="execution">Whose chunks they are.</param>
    /// <param name="maxBytes">The cap on the step's output.</param>
    /// <param name="alreadyStored">Output stored before this sink (a re-attached run's): it counts against the cap too.</param>
    public StoredLogSink(LogStore store, ExecutionIdentity execution, long maxBytes, long alreadyStored = 0)
    {
        _store = store;
        _execution = execution;
        _maxBytes = maxBytes;
        _stored = alreadyStored;
        _writer = StoreBatchesAsync();
    }

    public ValueTask WriteAsync(LogChunk chunk, CancellationToken ct)
    {
        // The runner's own account is small and always kept. Agent events count as output: an in-house agent that
        // prints a line an event could otherwise fill the database past the cap, one event row at a time.
        if (chunk.Stream == LogStream.System)
            return _queue.Writer.WriteAsync(chunk, ct);
        if (_stored + chunk.Data.Length <= _maxBytes && !_dropping)
        {
            _stored += chunk.Data.Length;
            return _queue.Writer.WriteAsync(chunk, ct);
        }
        if (_dropping)
            return ValueTask.CompletedTask;
        _dropping = true;
        var marker = $"\n[LazyAF stored the first {_stored} bytes of this step's output; the rest of it is dropped (Execution:MaxLogBytes)]\n";
        return _queue.Writer.WriteAsync(chunk with { Stream = LogStream.System, Data = System.Text.Encoding.UTF8.GetBytes(marker) }, ct);
    }

    /// <summary>Stores what is still queued; call before the execution's final state is saved.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task StoreBatchesAsync()
    {
        var batch = new List<LogChunk>();
        var bytes = 0;
        while (await _queue.Reader.WaitToReadAsync())
        {
            using var window = new CancellationTokenSource(FlushEvery);
            try
            {
                while (bytes < MaxBatchBytes && await _queue.Reader.WaitToReadAsync(window.Token))
                {
                    while (bytes < MaxBatchBytes && _queue.Reader.TryRead(out var chunk))
                    {
                        batch.Add(chunk);
                        bytes += chunk.Data.Length;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The window closed: store what came in it.
            }
            await _store.AppendAsync(_execution, batch, _agentLines.Take(batch), CancellationToken.None);
            batch.Clear();
            bytes = 0;
        }
    }
}
