using System.Buffers;
using System.Text;

namespace LazyAf.Runner.Logs;

/// <summary>
/// Turns a run's output into sequenced, masked chunks for an <see cref="ILogSink"/>: one sequence for all
/// streams (from 1, no gaps), at most <see cref="StepRunnerOptions.MaxChunkBytes"/> each, shipped when full
/// or every <see cref="StepRunnerOptions.FlushInterval"/>. It holds at most a chunk per stream, so memory
/// stays flat however much a step prints; the sink's pace is the step's pace.
/// </summary>
internal sealed class LogShipper : IStepOutput, IAsyncDisposable
{
    private readonly string _executionId;
    private readonly ILogSink _sink;
    private readonly StepRunnerOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly (SecretMasker Masker, ArrayBufferWriter<byte> Pending)[] _streams;
    private readonly LogTail _tail;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _flushing;
    private long _seq;
    private bool _completed;

    // lastSeq: the last sequence number already stored (0 for a new run); chunks continue after it.
    public LogShipper(string executionId, ILogSink sink, SecretRedactor redactor, StepRunnerOptions options, long lastSeq = 0)
    {
        _seq = lastSeq;
        _executionId = executionId;
        _sink = sink;
        _options = options;
        _tail = new LogTail(options.LogTailBytes);
        Redactor = redactor;
        _streams = [.. Enum.GetValues<LogStream>().Select(_ => (new SecretMasker(redactor), new ArrayBufferWriter<byte>()))];
        _flushing = FlushPeriodicallyAsync();
    }

    /// <inheritdoc />
    public SecretRedactor Redactor { get; }

    /// <summary>The end of everything shipped so far.</summary>
    public string Tail => _tail.ToString();

    public async ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            // What other streams hold goes first, so seq order is the order the step wrote in.
            foreach (var other in Enum.GetValues<LogStream>().Where(s => s != stream))
                await ShipAsync(other, partial: true);
            _streams[(int)stream].Masker.Write(data.Span, _streams[(int)stream].Pending);
            await ShipAsync(stream, partial: false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A line of the runner's own account; output buffered before it is shipped first, so the log reads in order.</summary>
    public async ValueTask SystemAsync(string line)
    {
        await FlushAsync();
        await WriteAsync(LogStream.System, Encoding.UTF8.GetBytes(line + "\n"), CancellationToken.None);
        await FlushAsync();
    }

    /// <summary>Ships the rest, including what the maskers held back, and stops the flush timer.</summary>
    public async Task CompleteAsync()
    {
        if (_completed)
            return;
        _completed = true;
        await _stop.CancelAsync();
        await _flushing;
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            foreach (var stream in Enum.GetValues<LogStream>())
            {
                _streams[(int)stream].Masker.Complete(_streams[(int)stream].Pending);
                await ShipAsync(stream, partial: true, final: true);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CompleteAsync();
        _stop.Dispose();
        _gate.Dispose();
    }

    /// <summary>Ships everything buffered (masked) so far, e.g. before the tail is read.</summary>
    public async Task FlushAsync()
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            foreach (var stream in Enum.GetValues<LogStream>())
                await ShipAsync(stream, partial: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task FlushPeriodicallyAsync()
    {
        using var timer = new PeriodicTimer(_options.FlushInterval, _options.Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
                await FlushAsync();
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Under the gate: ships full chunks, and with partial also the remainder. Chunks end on whole UTF-8
    // characters (until the final flush), so each decodes on its own.
    private async Task ShipAsync(LogStream stream, bool partial, bool final = false)
    {
        var pending = _streams[(int)stream].Pending;
        var offset = 0;
        while (pending.WrittenCount - offset >= _options.MaxChunkBytes || (partial && pending.WrittenCount > offset))
        {
            var size = Math.Min(_options.MaxChunkBytes, pending.WrittenCount - offset);
            if (!final)
                size = Utf8.CompleteLength(pending.WrittenSpan.Slice(offset, size));
            if (size == 0)
                break;
            var data = pending.WrittenSpan.Slice(offset, size).ToArray();
            offset += size;
            await _sink.WriteAsync(new LogChunk(_executionId, _seq + 1, stream, _options.Clock.GetUtcNow(), data), CancellationToken.None);
            _seq++;
            _tail.Append(data);
        }
        if (offset == 0)
            return;
        var rest = pending.WrittenSpan[offset..].ToArray();
        pending.ResetWrittenCount();
        pending.Write(rest);
    }
}
