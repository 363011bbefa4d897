using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LazyAf.Mcp.Api;

namespace LazyAf.Mcp.Logs;

/// <summary>What to look for in a log: a regex, how many lines around each match, and how many matches at most.</summary>
internal sealed record LogSearchRequest(string Pattern, bool IgnoreCase, int ContextLines, int MaxMatches, bool StderrOnly);

/// <summary>
/// grep over an execution's output: each match with its line number (<c>12:</c>) and the lines around it
/// (<c>11-</c>), groups apart by <c>--</c>, read as a stream so a large log is never held whole.
/// </summary>
internal static class LogSearch
{
    private const int MaxLineChars = 400;

    /// <summary>The pattern as a regex with a time limit (a model's pattern may backtrack badly); a <see cref="ToolFailure"/> when it is not one.</summary>
    public static Regex Compile(LogSearchRequest request)
    {
        try
        {
            var options = RegexOptions.CultureInvariant | (request.IgnoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
            return new Regex(request.Pattern, options, TimeSpan.FromSeconds(2));
        }
        catch (ArgumentException invalid)
        {
            throw new ToolFailure($"pattern is not a valid .NET regular expression: {invalid.Message}");
        }
    }

    public static async Task<string> RenderAsync(string subject, IAsyncEnumerable<LogChunk> chunks, LogSearchRequest request, CancellationToken ct)
    {
        var regex = Compile(request);
        var before = new Queue<LogLine>();
        var shown = new StringBuilder();
        long lastShown = 0, total = 0;
        int matches = 0, afterLeft = 0;
        await foreach (var line in LogLines.ReadAsync(chunks, LogLines.Streams(request.StderrOnly), ct))
        {
            total = line.Number;
            if (IsMatch(regex, line.Text))
            {
                matches++;
                if (matches > request.MaxMatches)
                    continue;
                if (lastShown > 0 && (before.Count > 0 ? before.Peek().Number : line.Number) > lastShown + 1)
                    shown.Append("--\n");
                while (before.TryDequeue(out var context))
                    Append(shown, context, '-');
                Append(shown, line, ':');
                lastShown = line.Number;
                afterLeft = request.ContextLines;
                continue;
            }
            if (afterLeft > 0 && matches <= request.MaxMatches)
            {
                Append(shown, line, '-');
                lastShown = line.Number;
                afterLeft--;
                continue;
            }
            before.Enqueue(line);
            if (before.Count > request.ContextLines)
                before.Dequeue();
        }
        var header = string.Create(CultureInfo.InvariantCulture,
            $"{subject}: {matches:N0} matching line(s) of /{request.Pattern}/ in {total:N0} line(s) of {(request.StderrOnly ? "stderr" : "output")}");
        if (matches > request.MaxMatches)
            header += string.Create(CultureInfo.InvariantCulture, $"; showing the first {request.MaxMatches:N0} (narrow the pattern or raise max_matches)");
        return header + "\n" + shown;
    }

    private static bool IsMatch(Regex regex, string text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            throw new ToolFailure($"pattern /{regex}/ took too long on one line (it backtracks); use a simpler pattern");
        }
    }

    private static void Append(StringBuilder text, LogLine line, char mark) =>
        text.Append(line.Number.ToString(CultureInfo.InvariantCulture)).Append(mark).Append(' ')
            .Append(line.Text.Length > MaxLineChars ? string.Concat(line.Text.AsSpan(0, MaxLineChars), " …") : line.Text).Append('\n');
}
