using LazyAf.Cli.Api;
using LazyAf.Runner.Agents;

namespace LazyAf.Cli.Output;

/// <summary>
/// An execution's output as it arrives, as-is: stdout and the runner's system lines to the CLI's stdout,
/// stderr to its stderr. It remembers whether either was left mid-line, so that what the CLI says next
/// (how it ended, or the one failure line) starts a line of its own.
/// </summary>
internal sealed class LogWriter(TextWriter output, TextWriter error)
{
    private readonly System.Text.StringBuilder _agentLine = new();
    private bool _outputMidLine;
    private bool _errorMidLine;

    public async Task WriteAsync(LogLine chunk)
    {
        if (chunk.Text.Length == 0)
            return;
        if (chunk.Stream == "agent")
        {
            await WriteAgentEventsAsync(chunk.Text);
            return;
        }
        var midLine = !chunk.Text.EndsWith('\n');
        if (chunk.Stream == "stderr")
        {
            await error.WriteAsync(chunk.Text);
            _errorMidLine = midLine;
        }
        else
        {
            await output.WriteAsync(chunk.Text);
            _outputMidLine = midLine;
        }
    }

    // Agent events are JSON lines that a chunk may split; each whole one is shown as a line of text.
    private async Task WriteAgentEventsAsync(string text)
    {
        _agentLine.Append(text);
        var all = _agentLine.ToString();
        var end = all.LastIndexOf('\n');
        if (end < 0)
            return;
        _agentLine.Clear().Append(all.AsSpan(end + 1));
        if (_outputMidLine)
            await output.WriteLineAsync();
        _outputMidLine = false;
        foreach (var line in all[..end].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            await output.WriteLineAsync(AgentEventJson.FromLine(line) is { } e ? AgentEventText.Of(e) : line);
    }

    /// <summary>Ends the lines the output left open.</summary>
    public async Task EndLinesAsync()
    {
        if (_outputMidLine)
            await output.WriteLineAsync();
        if (_errorMidLine)
            await error.WriteLineAsync();
        _outputMidLine = _errorMidLine = false;
    }
}
