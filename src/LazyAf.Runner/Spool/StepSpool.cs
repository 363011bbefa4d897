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
/// The log is append-only files of records (seq, stream, time, length, bytes), flushed to the OS after each chunk
/// (a host restart or a network cut loses nothing; the agent's own death ends its steps anyway). A file is rolled over
/// at a size, and a rolled file whose chunks the host has all stored is deleted: a long step's spool holds what the
/// host lacks, not its whole output. The result is an opaque blob (the agent's wire form) written to its own file with
/// a rename, so it is either whole or absent; so are the step's outputs (test cases, coverage, the artifacts' list),
/// saved before it, with copies of the artifacts' bytes in <see cref="ArtifactsDirectory"/>: all of them are sent again
/// with the result until the host has stored it.
/// </remarks>
public sealed class StepSpool : ILogSink, IDisposable
{
    private const int HeaderBytes = 8 + 4 + 8 + 4;

    /// <summary>The size at which a log file is rolled over, unless the spool is created with another.</summary>
    public const long DefaultSegmentBytes = 8L << 20;

    private readonly string _directory;
    private readonly long _segmentBytes;
    // Oldest first; only the last one is written to.
    private readonly List<Segment> _segments = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _more = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastSeq;
    private DateTimeOffset? _lastOutputAt;
    private long _storedSeq;
    private byte[]? _result;
    private bool _disposed;

    private StepSpool(string directory, string executionId, long segmentBytes)
    {
        ExecutionId = executionId;
        _directory = directory;
        _segmentBytes = segmentBytes;
        Directory.CreateDirectory(directory);
    }

    /// <summary>The execution whose output it keeps.</summary>
    public string ExecutionId { get; }

    /// <summary>Where the spools of an agent with <paramref name="stateDir"/> live.</summary>
    public static string RootOf(string stateDir) => Path.Combine(stateDir, "spool");

    /// <summary>A new, empty spool for <paramref name="executionId"/> under <paramref name="root"/>, its log rolled over every <paramref name="segmentBytes"/>.</summary>
    public static StepSpool Create(string root, string executionId, long segmentBytes = DefaultSegmentBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(segmentBytes);
        return new(Path.Combine(root, executionId), executionId, segmentBytes);
    }

    /// <summary>
    /// The spool an earlier agent process left for <paramref name="executionId"/> under <paramref name="root"/>, read back
    /// as it was: its chunks (a record the process died writing is cut off), its assignment and, when the step had ended,
    /// its result; new chunks are appended after its last one. For an agent that re-attaches to a step that outlived it.
    /// </summary>
    public static StepSpool Reopen(string root, string executionId, long segmentBytes = DefaultSegmentBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(segmentBytes);
        var spool = new StepSpool(Path.Combine(root, executionId), executionId, segmentBytes);
        var files = Directory.GetFiles(spool._directory, "log.*")
            .Select(f => (File: f, First: long.TryParse(Path.GetExtension(f).TrimStart('.'), out var first) ? first : -1))
            .Where(f => f.First > 0)
            .OrderBy(f => f.First)
            .ToList();
        for (var i = 0; i < files.Count; i++)
        {
            var segment = Segment.Reopen(files[i].File, files[i].First, last: i == files.Count - 1, out var lastOutputAt);
            if (segment.Offsets.Count == 0 && i < files.Count - 1)
            {
                segment.Dispose();
                continue;
            }
            spool._segments.Add(segment);
            spool._lastSeq = Math.Max(spool._lastSeq, segment.LastSeq);
            spool._lastOutputAt = lastOutputAt ?? spool._lastOutputAt;
        }
        var result = Path.Combine(spool._directory, "result");
        spool._result = File.Exists(result) ? File.ReadAllBytes(result) : null;
        return spool;
    }

    /// <summary>The executions whose spools an earlier agent process left under <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> Leftovers(string root) =>
        Directory.Exists(root) ? [.. Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>()] : [];

    /// <summary>Keeps the assignment the step was started with (an opaque blob, written whole or not at all), so an agent that restarts can finish it.</summary>
    public void SaveAssignment(byte[] assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var file = Path.Combine(_directory, "assignment");
        // It holds the step's git token and secrets: for this agent's user alone, like its credential.
        var created = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            created.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var written = new FileStream(file + ".new", created))
            written.Write(assignment);
        File.Move(file + ".new", file, overwrite: true);
    }

    /// <summary>The assignment saved with <see cref="SaveAssignment"/> and when it was saved (the step's start), or null.</summary>
    public (byte[] Assignment, DateTimeOffset SavedAt)? Assignment()
    {
        var file = Path.Combine(_directory, "assignment");
        return File.Exists(file) ? (File.ReadAllBytes(file), new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero)) : null;
    }

    /// <summary>The outputs saved with <see cref="SaveOutputs"/>, or null.</summary>
    public byte[]? Outputs()
    {
        var file = Path.Combine(_directory, "outputs");
        return File.Exists(file) ? File.ReadAllBytes(file) : null;
    }

    /// <summary>
    /// When the last chunk of the step's own output (stdout or stderr) was written, or null before the first: a
    /// re-attach follows the step's output from there (every chunk is stamped after the output it holds was read).
    /// </summary>
    public DateTimeOffset? LastOutputAt
    {
        get
        {
            lock (_gate)
                return _lastOutputAt;
        }
    }

    /// <summary>The bytes its log files hold on disk now.</summary>
    public long LogBytes
    {
        get
        {
            lock (_gate)
                return _segments.Sum(s => s.Bytes);
        }
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
            var segment = _segments.Count > 0 && _segments[^1].Bytes < _segmentBytes ? _segments[^1] : RollOver(chunk.Seq);
            segment.Append(chunk.Seq, record);
            _lastSeq = chunk.Seq;
            if (chunk.Stream is LogStream.Stdout or LogStream.Stderr)
                _lastOutputAt = chunk.At;
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

    /// <summary>The host stored every chunk up to <paramref name="seq"/>: rolled-over log files holding only those go.</summary>
    public void Stored(long seq)
    {
        lock (_gate)
        {
            _storedSeq = Math.Max(_storedSeq, seq);
            while (_segments.Count > 1 && _segments[0].LastSeq <= _storedSeq)
            {
                _segments[0].Delete();
                _segments.RemoveAt(0);
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> chunks after <paramref name="seq"/>, in seq order, read back from disk; from the
    /// oldest chunk still kept when the host has stored (and the spool dropped) those right after <paramref name="seq"/>.
    /// </summary>
    public IReadOnlyList<LogChunk> After(long seq, int max)
    {
        List<(string Path, long Offset, int Count)> reads = [];
        lock (_gate)
        {
            if (_lastSeq <= seq || _disposed)
                return [];
            var left = max;
            foreach (var segment in _segments.Where(s => s.LastSeq > seq))
            {
                var first = (int)(Math.Max(seq + 1, segment.FirstSeq) - segment.FirstSeq);
                var count = Math.Min(left, segment.Offsets.Count - first);
                reads.Add((segment.Path, segment.Offsets[first], count));
                if ((left -= count) == 0)
                    break;
            }
        }
        var chunks = new List<LogChunk>(max);
        foreach (var (path, offset, count) in reads)
        {
            try
            {
                ReadInto(chunks, path, offset, count);
            }
            catch (FileNotFoundException)
            {
                // Stored and dropped since the look-up: the host has these, and so everything after is read next time.
                break;
            }
        }
        return chunks;
    }

    private void ReadInto(List<LogChunk> chunks, string path, long offset, int count)
    {
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        reader.Position = offset;
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
    }

    private Segment RollOver(long firstSeq)
    {
        if (_segments.Count > 0)
            _segments[^1].Close();
        var segment = new Segment(Path.Combine(_directory, $"log.{firstSeq}"), firstSeq);
        _segments.Add(segment);
        return segment;
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
            foreach (var segment in _segments)
                segment.Dispose();
        }
        _more.TrySetResult();
    }

    /// <summary>One log file: the chunks from <see cref="FirstSeq"/> to <see cref="LastSeq"/>, each at its offset.</summary>
    private sealed class Segment : IDisposable
    {
        private FileStream? _writer;

        public Segment(string path, long firstSeq)
            : this(path, firstSeq, new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete))
        {
        }

        private Segment(string path, long firstSeq, FileStream? writer)
        {
            Path = path;
            FirstSeq = firstSeq;
            _writer = writer;
        }

        public string Path { get; }

        public long FirstSeq { get; }

        public long LastSeq { get; private set; }

        public List<long> Offsets { get; } = [];

        public long Bytes { get; private set; }

        /// <summary>
        /// A log file as an earlier process left it: its whole records (one it died writing is cut off), open for
        /// appending when it is the <paramref name="last"/> one; <paramref name="lastOutputAt"/> is when its last stdout or
        /// stderr chunk was written, if it holds one.
        /// </summary>
        public static Segment Reopen(string path, long firstSeq, bool last, out DateTimeOffset? lastOutputAt)
        {
            lastOutputAt = null;
            var segment = new Segment(path, firstSeq, null);
            using (var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                Span<byte> header = stackalloc byte[HeaderBytes];
                var seq = firstSeq - 1;
                while (reader.Length - reader.Position >= HeaderBytes)
                {
                    var offset = reader.Position;
                    reader.ReadExactly(header);
                    var length = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
                    var next = BinaryPrimitives.ReadInt64LittleEndian(header);
                    if (length < 0 || reader.Length - reader.Position < length || next != seq + 1)
                        break;
                    reader.Position += length;
                    seq = next;
                    segment.Offsets.Add(offset);
                    segment.Bytes = reader.Position;
                    segment.LastSeq = seq;
                    if ((LogStream)BinaryPrimitives.ReadInt32LittleEndian(header[8..]) is LogStream.Stdout or LogStream.Stderr)
                        lastOutputAt = new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(header[12..]), TimeSpan.Zero);
                }
            }
            if (last)
            {
                segment._writer = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read | FileShare.Delete);
                segment._writer.SetLength(segment.Bytes);
                segment._writer.Position = segment.Bytes;
            }
            return segment;
        }

        public void Append(long seq, byte[] record)
        {
            var writer = _writer ?? throw new InvalidOperationException("a rolled-over spool file is not written to");
            Offsets.Add(Bytes);
            writer.Write(record);
            writer.Flush();
            Bytes += record.Length;
            LastSeq = seq;
        }

        /// <summary>Rolled over: no more chunks go into it.</summary>
        public void Close()
        {
            _writer?.Dispose();
            _writer = null;
        }

        public void Dispose() => Close();

        public void Delete()
        {
            Close();
            File.Delete(Path);
        }
    }
}
