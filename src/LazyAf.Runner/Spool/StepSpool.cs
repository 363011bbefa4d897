using System.Buffers.Binary;

namespace LazyAf.Runner.Spool;

/// <summary>
/// One execution's output and result as a runner agent keeps them on disk (<c>STATE/spool/{execution}/</c>) until the
/// host says it has stored them: the step writes its chunks here, never to the network, so it runs on at its own pace
/// while the host restarts or the network is down, and whatever the host missed is read back from here, in seq order,
/// once it is reachable again. Agent events are chunks too (<see cref="LogStream.Agent"/>), so they are kept the same
/// way. Shared by every agent (the native one, the Docker one) through <c>LazyAf.Runner</c>.
/// </summary>
/// <remarks>
/// The log is one append-only file of records (seq, stream, time, length, bytes), flushed to the OS after each chunk
/// (a host restart or a network cut loses nothing; the agent's own death ends its steps anyway). The result is an
/// opaque blob (the agent's wire form) written to its own file with a rename, so it is either whole or absent; so are
/// the step's outputs (test cases, coverage, the artifacts' list), saved before it, with copies of the artifacts'
/// bytes in <see cref="ArtifactsDirectory"/>: all of them are sent again with the result until the host has stored it.
/// </remarks>
public sealed class StepSpool : ILogSink, IDisposable
{
    private const int HeaderBytes = 8 + 4 + 8 + 4;

    private readonly string _directory;
    private readonly FileStream _log;
    private readonly List<long> _offsets = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _more = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _firstSeq;
    private long _lastSeq;
    private long _storedSeq;
    private byte[]? _result;
    private bool _disposed;

    private StepSpool(string directory, string executionId)
    {
        ExecutionId = executionId;
        _directory = directory;
        Directory.CreateDirectory(directory);
        _log = new FileStream(Path.Combine(directory, "log"), FileMode.Create, FileAccess.Write, FileShare.Read);
    }

    /// <summary>The execution whose output it keeps.</summary>
    public string ExecutionId { get; }

    /// <summary>Where the spools of an agent with <paramref name="stateDir"/> live.</summary>
    public static string RootOf(string stateDir) => Path.Combine(stateDir, "spool");

    /// <summary>A new, empty spool for <paramref name="executionId"/> under <paramref name="root"/>.</summary>
    public static StepSpool Create(string root, string executionId) => new(Path.Combine(root, executionId), executionId);

    /// <summary>
    /// Deletes what an earlier agent process left under <paramref name="root"/>: its steps died with it, and the host
    /// fails them "runner lost" when the agent says hello without them. Returns the executions whose spools were left.
    /// </summary>
    public static IReadOnlyList<string> ClearLeftovers(string root)
    {
        if (!Directory.Exists(root))
            return [];
        var left = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().ToList();
        foreach (var directory in Directory.GetDirectories(root))
            Directory.Delete(directory, recursive: true);
        return left;
    }

    /// <summary>The seq of the last chunk written (0 before the first).</summary>
    public long LastSeq
    {
        get
        {
            lock (_gate)
                return _lastSeq;
        }
    }

    /// <summary>The last seq the host said it stored.</summary>
    public long StoredSeq
    {
        get
        {
            lock (_gate)
                return _storedSeq;
        }
    }

    /// <summary>The result, once <see cref="SaveResult"/> was called.</summary>
    public byte[]? Result
    {
        get
        {
            lock (_gate)
                return _result;
        }
    }

    /// <inheritdoc />
    /// <remarks>Appends a chunk (seqs come in order from the step runner) and wakes whoever waits for it.</remarks>
    public ValueTask WriteAsync(LogChunk chunk, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var record = new byte[HeaderBytes + chunk.Data.Length];
        BinaryPrimitives.WriteInt64LittleEndian(record, chunk.Seq);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(8), (int)chunk.Stream);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(12), chunk.At.UtcTicks);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(20), chunk.Data.Length);
        chunk.Data.Span.CopyTo(record.AsSpan(HeaderBytes));
        TaskCompletionSource woken;
        lock (_gate)
        {
            // A repeated seq, or a chunk after the spool was let go of (the host has the result): nothing to keep.
            if (chunk.Seq <= _lastSeq || _disposed)
                return ValueTask.CompletedTask;
            _offsets.Add(_log.Position);
            _log.Write(record);
            _log.Flush();
            if (_firstSeq == 0)
                _firstSeq = chunk.Seq;
            _lastSeq = chunk.Seq;
            woken = _more;
            _more = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        woken.TrySetResult();
        return ValueTask.CompletedTask;
    }

    /// <summary>Where the copies of the step's artifacts are kept until the host has the result.</summary>
    public string ArtifactsDirectory => Path.Combine(_directory, "artifacts");

    /// <summary>Keeps the step's outputs (an opaque blob, written whole or not at all), before its result.</summary>
    public void SaveOutputs(byte[] outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var file = Path.Combine(_directory, "outputs");
        File.WriteAllBytes(file + ".new", outputs);
        File.Move(file + ".new", file, overwrite: true);
    }

    /// <summary>Keeps the run's result (written whole or not at all), after its last chunk and its outputs.</summary>
    public void SaveResult(byte[] result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var file = Path.Combine(_directory, "result");
        File.WriteAllBytes(file + ".new", result);
        File.Move(file + ".new", file, overwrite: true);
        TaskCompletionSource woken;
        lock (_gate)
        {
            _result = result;
            woken = _more;
            _more = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        woken.TrySetResult();
    }

    /// <summary>The host stored every chunk up to <paramref name="seq"/>.</summary>
    public void Stored(long seq)
    {
        lock (_gate)
            _storedSeq = Math.Max(_storedSeq, seq);
    }

    /// <summary>Up to <paramref name="max"/> chunks after <paramref name="seq"/>, in seq order, read back from disk.</summary>
    public IReadOnlyList<LogChunk> After(long seq, int max)
    {
        long start;
        int count;
        lock (_gate)
        {
            if (_lastSeq <= seq)
                return [];
            var first = (int)(Math.Max(seq + 1, _firstSeq) - _firstSeq);
            count = Math.Min(max, _offsets.Count - first);
            start = _offsets[first];
        }
        var chunks = new List<LogChunk>(count);
        lock (_gate)
        {
            if (_disposed)
                return [];
        }
        using var reader = new FileStream(Path.Combine(_directory, "log"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        reader.Position = start;
        Span<byte> header = stackalloc byte[HeaderBytes];
        for (var i = 0; i < count; i++)
        {
            reader.ReadExactly(header);
            var data = new byte[BinaryPrimitives.ReadInt32LittleEndian(header[20..])];
            reader.ReadExactly(data);
            chunks.Add(new LogChunk(
                ExecutionId,
                BinaryPrimitives.ReadInt64LittleEndian(header),
                (LogStream)BinaryPrimitives.ReadInt32LittleEndian(header[8..]),
                new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(header[12..]), TimeSpan.Zero),
                data));
        }
        return chunks;
    }

    /// <summary>Completes once there is a chunk after <paramref name="seq"/> or a result.</summary>
    public Task WaitAsync(long seq, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_lastSeq > seq || _result is not null || _disposed)
                return Task.CompletedTask;
            return _more.Task.WaitAsync(ct);
        }
    }

    /// <summary>The host has everything: the files go.</summary>
    public void Delete()
    {
        Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Deleted already.
        }
    }

    /// <summary>Closes the log file; the files stay (see <see cref="Delete"/>).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _log.Dispose();
        }
        _more.TrySetResult();
    }
}
