namespace LazyAf.Mcp.Api;

/// <summary>One chunk of an execution's output, a line of the API's NDJSON log.</summary>
/// <param name="Seq">Its place in the execution's output, from 1 across all streams (<c>after_seq</c> pages by it).</param>
/// <param name="Stream"><c>stdout</c>, <c>stderr</c> or <c>system</c> (the runner's own account).</param>
/// <param name="Text">The output as printed, newlines included.</param>
internal sealed record LogChunk(long Seq, string Stream, string Text);
