using System.Text;

namespace LazyAf.Runner.Tests;

/// <summary>Keeps every chunk a run ships, as a log store would.</summary>
public sealed class RecordingSink : ILogSink
{
    private readonly List<LogChunk> _chunks = [];

    public IReadOnlyList<LogChunk> Chunks
    {
        get
        {
            lock (_chunks)
                return [.. _chunks];
        }
    }

    public ValueTask WriteAsync(LogChunk chunk, CancellationToken ct)
    {
        lock (_chunks)
            _chunks.Add(chunk);
        return ValueTask.CompletedTask;
    }

    /// <summary>All text of one stream, in sequence order.</summary>
    public string Text(LogStream stream) =>
        string.Concat(Chunks.Where(c => c.Stream == stream).OrderBy(c => c.Seq).Select(c => Encoding.UTF8.GetString(c.Data.Span)));

    public string AllText => string.Concat(Chunks.OrderBy(c => c.Seq).Select(c => Encoding.UTF8.GetString(c.Data.Span)));
}
