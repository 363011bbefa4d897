using System.Text;

namespace LazyAf.Runner.Agents;

/// <summary>
/// Passes a program's output through and keeps the end of what it wrote on stderr, so a CLI that dies before it
/// reports a result fails the step with its own last words rather than only an exit code.
/// </summary>
internal sealed class ErrorTail(IStepOutput output) : IStepOutput
{
    private const int Keep = 4096;
    private readonly Lock _gate = new();
    private byte[] _tail = [];

    public Logs.SecretRedactor Redactor => output.Redactor;

    public ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (stream == LogStream.Stderr)
        {
            lock (_gate)
            {
                var joined = new byte[Math.Min(Keep, _tail.Length + data.Length)];
                var fromData = Math.Min(data.Length, joined.Length);
                var fromTail = joined.Length - fromData;
                _tail.AsSpan(_tail.Length - fromTail).CopyTo(joined);
                data.Span[(data.Length - fromData)..].CopyTo(joined.AsSpan(fromTail));
                _tail = joined;
            }
        }
        return output.WriteAsync(stream, data, ct);
    }

    /// <summary>The last line with something on it, cut to <paramref name="max"/> characters; null when stderr was empty.</summary>
    public string? LastLine(int max = 300)
    {
        string text;
        lock (_gate)
            text = Encoding.UTF8.GetString(_tail);
        var line = text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);
        return line is null ? null : Summaries.Cut(line, max);
    }
}
