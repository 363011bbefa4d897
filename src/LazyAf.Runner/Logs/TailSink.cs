namespace LazyAf.Runner.Logs;

/// <summary>
/// A sink that keeps only the end of what it is given, stored as no execution's log: for a debug environment's
/// preparation, whose end explains why it failed.
/// </summary>
public sealed class TailSink : ILogSink
{
    private readonly LogTail _tail = new(4000);

    /// <summary>The last few thousand bytes, as text.</summary>
    public string Tail
    {
        get
        {
            lock (_tail)
                return _tail.ToString();
        }
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(LogChunk chunk, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        lock (_tail)
            _tail.Append(chunk.Data.Span);
        return ValueTask.CompletedTask;
    }
}
