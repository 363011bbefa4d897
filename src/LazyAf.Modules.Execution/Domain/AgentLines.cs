using System.Text;
using LazyAf.Runner;
using LazyAf.Runner.Agents;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// Reassembles the agent event lines of one run from its <see cref="LogStream.Agent"/> chunks, which may split a
/// line anywhere (chunk size, secret masking); chunks arrive in order, so a partial line waits for its rest.
/// </summary>
internal sealed class AgentLines
{
    private readonly StringBuilder _partial = new();

    /// <summary>The events completed by <paramref name="chunks"/>.</summary>
    public IReadOnlyList<AgentEvent> Take(IEnumerable<LogChunk> chunks)
    {
        var events = new List<AgentEvent>();
        foreach (var chunk in chunks.Where(c => c.Stream == LogStream.Agent))
        {
            _partial.Append(Encoding.UTF8.GetString(chunk.Data.Span));
            var text = _partial.ToString();
            var end = text.LastIndexOf('\n');
            if (end < 0)
                continue;
            foreach (var line in text[..end].Split('\n', StringSplitOptions.RemoveEmptyEntries))
                events.Add(AgentEventJson.FromLine(line) ?? AgentEvent.RawLine(line));
            _partial.Clear().Append(text.AsSpan(end + 1));
        }
        return events;
    }
}
