using System.Threading.Channels;
using LazyAf.Kernel.Storage;
using LazyAf.Modules.Execution.Data;
using LazyAf.Runner;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// Stores a run's chunks in batches (what queued while the previous batch was stored, at most 256 KiB), one
/// transaction and one <c>log.appended</c> event per batch. The bounded queue pushes back on a step that writes faster
/// than the disk takes it, so memory stays bounded. Past <c>maxBytes</c> of step output a marker
/// takes the place of the first chunk dropped and later stdout, stderr and agent events are dropped (the
/// runner's own lines are kept), so one noisy step cannot fill the database. A batch that cannot be stored (a full
/// disk) ends the storing, and so does a data directory found full by another writer: the sink says why in the log,
/// sets <see cref="Failure"/> and cancels <see cref="Stopped"/> (which stops the step), and drops the rest, so a step
/// writing to it never blocks on a database that takes nothing.
/// </summary>
internal sealed class StoredLogSink : ILogSink, IAsyncDisposable
{
    private const int MaxBatchBytes = 256 * 1024;

    private readonly Channel<LogChunk> _queue = Channel.CreateBounded<LogChunk>(new BoundedChannelOptions(256) { SingleReader = true });
    private readonly LogStore _store;
    private readonly ExecutionIdentity _execution;
    private readonly AgentLines _agentLines = new();
    private readonly Task _writer;
    private readonly long _maxBytes;
    private readonly DataDirectorySpace? _space;
    private readonly CancellationTokenSource _stopped = new();
    private readonly long _seqBase;
    private long _stored;
    // In the chunks' own numbering (before seqBase): the last one written, the last one queued, the last one committed.
    private long _lastSeen;
    private long _lastQueued;
    private long _committed;
    private bool _dropping;
    private volatile string? _failure;

    /// <param name="store">Where chunks go.</param>
    /// <param name="execution">Whose chunks they are.</param>
    /// <param name="maxBytes">The cap on the step's output.</param>
    /// <param name="alreadyStored">Output stored before this sink (a re-attached run's): it counts against the cap too.</param>
    /// <param name="space">Told when a batch fails for lack of space, so the host gives up its reserve and refuses writes.</param>
    /// <param name="seqBase">Added to every chunk's seq: an attempt after a lost runner numbers its chunks from 1 again, and is stored after the earlier ones.</param>
    public StoredLogSink(LogStore store, ExecutionIdentity execution, long maxBytes, long alreadyStored = 0, DataDirectorySpace? space = null, long seqBase = 0)
    {
        _seqBase = seqBase;
        _space = space;
        _store = store;
        _execution = execution;
        _maxBytes = maxBytes;
        _stored = alreadyStored;
        _writer = StoreBatchesAsync();
    }

    /// <summary>Why the log could not be stored (the step has failed for it), or null.</summary>
    public string? Failure => _failure;

    /// <summary>Cancelled once the log cannot be stored: the step must stop.</summary>
    public CancellationToken Stopped => _stopped.Token;

    /// <summary>
    /// The last seq (as the chunks came, before the seq base) up to which every chunk is committed or was dropped past
    /// the cap: what a runner no longer needs to keep. Read it between writes, from the side that writes.
    /// </summary>
    public long StoredThrough
    {
        get
        {
            var committed = Volatile.Read(ref _committed);
            return committed >= Volatile.Read(ref _lastQueued) ? Math.Max(committed, Volatile.Read(ref _lastSeen)) : committed;
        }
    }

    public ValueTask WriteAsync(LogChunk chunk, CancellationToken ct)
    {
        if (_failure is not null)
            return ValueTask.CompletedTask;
        Volatile.Write(ref _lastSeen, chunk.Seq);
        if (_seqBase != 0)
            chunk = chunk with { Seq = chunk.Seq + _seqBase };
        // The runner's own account is small and always kept. Agent events count as output: an in-house agent that
        // prints a line an event could otherwise fill the database past the cap, one event row at a time.
        if (chunk.Stream == LogStream.System)
            return QueueAsync(chunk, ct);
        if (_stored + chunk.Data.Length <= _maxBytes && !_dropping)
        {
            _stored += chunk.Data.Length;
            return QueueAsync(chunk, ct);
        }
        if (_dropping)
            return ValueTask.CompletedTask;
        _dropping = true;
        var marker = $"\n[LazyAF stored the first {_stored} bytes of this step's output; the rest of it is dropped (Execution:MaxLogBytes)]\n";
        return QueueAsync(chunk with { Stream = LogStream.System, Data = System.Text.Encoding.UTF8.GetBytes(marker) }, ct);
    }

    private ValueTask QueueAsync(LogChunk chunk, CancellationToken ct)
    {
        Volatile.Write(ref _lastQueued, chunk.Seq - _seqBase);
        return _queue.Writer.WriteAsync(chunk, ct);
    }

    /// <summary>Stores what is still queued; call before the execution's final state is saved.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    // Group commit: what has queued by now goes in one transaction, and what comes while it is stored goes in the next.
    // A quiet step's line is stored at once; a busy step's chunks still share transactions.
    private async Task StoreBatchesAsync()
    {
        var batch = new List<LogChunk>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            var bytes = 0;
            while (bytes < MaxBatchBytes && _queue.Reader.TryRead(out var chunk))
            {
                batch.Add(chunk);
                bytes += chunk.Data.Length;
            }
            if (_failure is null)
                await StoreAsync(batch);
            batch.Clear();
        }
    }

    private async Task StoreAsync(List<LogChunk> batch)
    {
        // Once the data directory is full (another writer found out first), the room its reserve left is for recording
        // why steps stop, not for more of their output: a noisy step would use it up and its own end could not be saved.
        _failure = _space is { IsFull: true } ? _space.Explanation : await AppendAsync(batch);
        if (_failure is null)
            return;
        // In the first failed chunk's place (the batch was rolled back); on a full disk, in the room the reserve left.
        var line = System.Text.Encoding.UTF8.GetBytes($"\n[LazyAF: {_failure}; the step is stopped]\n");
        try
        {
            await _store.AppendAsync(_execution, [batch[0] with { Stream = LogStream.System, Data = line }], [], CancellationToken.None);
        }
        catch (Exception)
        {
            // Nothing more can be stored; the execution's error still says why.
        }
        await _stopped.CancelAsync();
    }

    // Stores the batch: null, or why it could not be stored.
    private async Task<string?> AppendAsync(List<LogChunk> batch)
    {
        try
        {
            await _store.AppendAsync(_execution, batch, _agentLines.Take(batch), CancellationToken.None);
            Volatile.Write(ref _committed, batch[^1].Seq - _seqBase);
            return null;
        }
        catch (Exception ex)
        {
            var full = DataDirectorySpace.IsDiskFull(ex);
            if (full)
                _space?.ReportFull(ex);
            return full && _space is not null ? _space.Explanation : full ? "disk full: the step's log could not be stored" : $"the step's log could not be stored: {ex.Message}";
        }
    }
}
