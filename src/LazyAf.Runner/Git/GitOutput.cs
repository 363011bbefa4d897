using System.Buffers;
using System.Text;
using LazyAf.Runner.Logs;

namespace LazyAf.Runner.Git;

/// <summary>
/// What one git command printed: stdout for the few answers the runner reads (shas), the end of stderr
/// for the error message; with a log, both also go to the run's System stream.
/// </summary>
internal sealed class GitOutput(LogShipper? log) : IStepOutput
{
    private readonly ArrayBufferWriter<byte> _stdout = new();
    private readonly LogTail _stderr = new(4096);

    public string Stdout => Encoding.UTF8.GetString(_stdout.WrittenSpan).Trim();

    /// <summary>The last non-empty line git wrote to stderr (git puts its reason there).</summary>
    public string LastErrorLine =>
        _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    public ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        // The two pumps call concurrently, but each touches only its own stream's buffer.
        if (stream == LogStream.Stdout)
            _stdout.Write(data.Span);
        else
            _stderr.Append(data.Span);
        return log is null ? ValueTask.CompletedTask : log.WriteAsync(LogStream.System, data, ct);
    }
}
