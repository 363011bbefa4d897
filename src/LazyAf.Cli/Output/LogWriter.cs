using LazyAf.Cli.Api;

namespace LazyAf.Cli.Output;

/// <summary>
/// An execution's output as it arrives, as-is: stdout and the runner's system lines to the CLI's stdout,
/// stderr to its stderr. It remembers whether either was left mid-line, so that what the CLI says next
/// (how it ended, or the one failure line) starts a line of its own.
/// </summary>
internal sealed class LogWriter(TextWriter output, TextWriter error)
{
    private bool _outputMidLine;
    private bool _errorMidLine;

    public async Task WriteAsync(LogLine chunk)
    {
        if (chunk.Text.Length == 0)
            return;
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
