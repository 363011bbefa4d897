using System.Runtime.CompilerServices;
using System.Text;
using LazyAf.Mcp.Api;

namespace LazyAf.Mcp.Logs;

/// <summary>
/// An execution's output as numbered lines: chunks of the chosen streams are joined per stream (a line may span
/// chunks, and stdout and stderr interleave), and each line is given out when its newline arrives.
/// </summary>
internal static class LogLines
{
    /// <summary>The streams a log tool reads: stderr alone, or everything (stdout, stderr and the runner's own system lines).</summary>
    public static Func<string, bool> Streams(bool stderrOnly) => stderrOnly ? stream => stream == "stderr" : _ => true;

    public static async IAsyncEnumerable<LogLine> ReadAsync(IAsyncEnumerable<LogChunk> chunks, Func<string, bool> streams, [EnumeratorCancellation] CancellationToken ct)
    {
        var pending = new Dictionary<string, (StringBuilder Text, long Seq)>(StringComparer.Ordinal);
        long number = 0;
        await foreach (var chunk in chunks.WithCancellation(ct))
        {
            if (!streams(chunk.Stream))
                continue;
            if (!pending.TryGetValue(chunk.Stream, out var open))
                open = (new StringBuilder(), chunk.Seq);
            var start = 0;
            for (var newline = chunk.Text.IndexOf('\n', start); newline >= 0; newline = chunk.Text.IndexOf('\n', start))
            {
                open.Text.Append(chunk.Text, start, newline - start);
                yield return new LogLine(++number, chunk.Seq, chunk.Stream, open.Text.ToString().TrimEnd('\r'));
                open.Text.Clear();
                start = newline + 1;
            }
            open.Text.Append(chunk.Text, start, chunk.Text.Length - start);
            pending[chunk.Stream] = (open.Text, chunk.Seq);
        }
        // Output whose last line has no newline yet (a running step, a step killed mid-line).
        foreach (var (stream, open) in pending.Where(p => p.Value.Text.Length > 0).OrderBy(p => p.Value.Seq))
            yield return new LogLine(++number, open.Seq, stream, open.Text.ToString());
    }
}
