namespace LazyAf.Mcp.Logs;

/// <summary>One line of an execution's output as the tools show it.</summary>
/// <param name="Number">Its number, from 1, counted over the streams read (from <c>after_seq</c> on).</param>
/// <param name="Seq">The seq of the chunk that ended it (for paging with <c>after_seq</c>).</param>
/// <param name="Stream">stdout, stderr or system.</param>
/// <param name="Text">The line without its newline.</param>
internal sealed record LogLine(long Number, long Seq, string Stream, string Text);
