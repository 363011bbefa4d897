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

    /// <summary>git's reason from stderr: a <c>fatal:</c> or <c>[rejected]</c> line if there is one, else the last line that is not a hint.</summary>
    public string ErrorReason
    {
        get
        {
            var lines = _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.FirstOrDefault(l => l.StartsWith("fatal:", StringComparison.Ordinal) || l.Contains("rejected]", StringComparison.Ordinal))
                ?? lines.LastOrDefault(l => !l.StartsWith("hint:", StringComparison.Ordinal))
                ?? "";
        }
    }

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
