using System.Globalization;
using System.Text;
using LazyAf.Mcp.Api;
using LazyAf.Mcp.Results;

namespace LazyAf.Mcp.Logs;

/// <summary>What part of a log to show: after a seq, only its last lines, only stderr, at most so many bytes.</summary>
/// <param name="AfterSeq">Chunks after this seq only (0: from the start).</param>
/// <param name="SkipLines">Lines after <paramref name="AfterSeq"/> already read (a chunk can hold more lines than one page).</param>
/// <param name="TailLines">Only the last this many lines; null: from the start, paged by <paramref name="AfterSeq"/>.</param>
/// <param name="StderrOnly">stderr alone, not stdout and the runner's system lines.</param>
/// <param name="MaxBytes">The most bytes of output shown (UTF-8, newlines included).</param>
internal sealed record LogRequest(long AfterSeq, long SkipLines, int? TailLines, bool StderrOnly, int MaxBytes)
{
    /// <summary>Room in a result for the header above the lines.</summary>
    private const int HeaderRoom = 1_000;

    /// <summary>A tool's arguments as a request, each held to its range and the byte cap under the result cap.</summary>
    public static LogRequest Of(ResultCap cap, int? tailLines, long? afterSeq, long? skipLines, bool stderrOnly, int? maxBytes)
    {
        var most = cap.MaxChars - HeaderRoom;
        return new LogRequest(Math.Max(0, afterSeq ?? 0), Math.Max(0, skipLines ?? 0), tailLines is { } tail ? Math.Clamp(tail, 1, 100_000) : null,
            stderrOnly, Math.Clamp(maxBytes ?? most, 1, most));
    }
}

/// <summary>
/// A part of an execution's output as text for a model: a header that says what is shown, what was left out and
/// how to ask for the rest (<c>after_seq</c>, <c>skip_lines</c>), then the lines. Only as much is read as the answer
/// needs from the start; a tail reads everything but keeps only its last lines.
/// </summary>
internal static class LogView
{
    public static async Task<string> RenderAsync(string subject, IAsyncEnumerable<LogChunk> chunks, LogRequest request, CancellationToken ct)
    {
        var lines = LogLines.ReadAsync(chunks, LogLines.Streams(request.StderrOnly), ct);
        var (shown, header) = request.TailLines is { } tail
            ? await TailAsync(lines, tail, request.MaxBytes)
            : await HeadAsync(lines, request);
        var streams = request.StderrOnly ? "stderr" : "stdout, stderr and system lines";
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"{subject}: {streams}{(request.AfterSeq > 0 ? $" after seq {request.AfterSeq}" : "")}: {header}\n"));
        foreach (var line in shown)
            text.Append(line.Text).Append('\n');
        return text.ToString();
    }

    private static async Task<(IReadOnlyCollection<LogLine>, string)> TailAsync(IAsyncEnumerable<LogLine> lines, int tail, int maxBytes)
    {
        var kept = new Queue<LogLine>();
        long total = 0;
        await foreach (var line in lines)
        {
            total = line.Number;
            kept.Enqueue(line);
            if (kept.Count > tail)
                kept.Dequeue();
        }
        if (total == 0)
            return (kept, "no output");
        var bytes = kept.Sum(Bytes);
        var cut = false;
        while (bytes > maxBytes && kept.Count > 1)
        {
            bytes -= Bytes(kept.Dequeue());
            cut = true;
        }
        var last = kept.Last().Seq;
        return (kept, string.Create(CultureInfo.InvariantCulture,
            $"the last {kept.Count:N0} of {total:N0} lines{(cut ? $" (all that fit in max_bytes = {maxBytes:N0})" : "")}, up to seq {last}; newer output: after_seq={last}"));
    }

    private static async Task<(IReadOnlyCollection<LogLine>, string)> HeadAsync(IAsyncEnumerable<LogLine> lines, LogRequest request)
    {
        var kept = new List<LogLine>();
        long bytes = 0;
        LogLine? firstLeftOut = null;
        await foreach (var line in lines)
        {
            if (line.Number <= request.SkipLines)
                continue;
            if (bytes + Bytes(line) > request.MaxBytes)
            {
                firstLeftOut = line;
                break;
            }
            kept.Add(line);
            bytes += Bytes(line);
        }
        if (firstLeftOut is null)
            return kept.Count == 0
                ? (kept, "no output" + (request.SkipLines > 0 ? " after the lines skipped" : ""))
                : (kept, string.Create(CultureInfo.InvariantCulture,
                    $"lines {kept[0].Number:N0}–{kept[^1].Number:N0}, all of it, up to seq {kept[^1].Seq}; newer output: after_seq={kept[^1].Seq}"));
        if (kept.Count == 0)
        {
            // One line longer than the whole allowance: show its start rather than nothing.
            kept.Add(firstLeftOut with { Text = firstLeftOut.Text[..Math.Min(firstLeftOut.Text.Length, request.MaxBytes / 4)] });
            return (kept, string.Create(CultureInfo.InvariantCulture,
                $"line {firstLeftOut.Number:N0} alone is longer than max_bytes = {request.MaxBytes:N0}; this is its start; the lines after it: {Next(request, kept)}"));
        }
        return (kept, string.Create(CultureInfo.InvariantCulture,
            $"lines {kept[0].Number:N0}–{kept[^1].Number:N0}, as many as fit in max_bytes = {request.MaxBytes:N0}; there is more: call again with {Next(request, kept)}"));
    }

    /// <summary>
    /// Where the next page starts: after the last chunk read whole, skipping the lines of the chunk it stopped in that
    /// were shown (a chunk may hold far more than a page); else from this page's start, skipping what it showed.
    /// </summary>
    private static string Next(LogRequest request, List<LogLine> kept)
    {
        var stoppedIn = kept[^1].Seq;
        var lastWhole = kept.LastOrDefault(l => l.Seq < stoppedIn);
        return lastWhole is null
            ? string.Create(CultureInfo.InvariantCulture, $"after_seq={request.AfterSeq} skip_lines={kept[^1].Number}")
            : string.Create(CultureInfo.InvariantCulture, $"after_seq={lastWhole.Seq} skip_lines={kept.Count(l => l.Seq > lastWhole.Seq)}");
    }

    private static long Bytes(LogLine line) => Encoding.UTF8.GetByteCount(line.Text) + 1;
}
