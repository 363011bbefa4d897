using LazyAf.Cli.Api;

namespace LazyAf.Cli.Output;

/// <summary>
/// A pipeline step's output while <c>pipeline run -f</c> follows the run: each line marked with the step it came from
/// (<c>  test | ok</c>), stdout to stdout and stderr to stderr, so steps' lines stay apart.
/// </summary>
internal sealed class StepLogWriter(TextWriter output, TextWriter error, string step)
{
    private bool _outputMidLine;
    private bool _errorMidLine;

    public async Task WriteAsync(LogLine chunk)
    {
        if (chunk.Text.Length == 0)
            return;
        if (chunk.Stream == "stderr")
            _errorMidLine = await WriteLinesAsync(error, chunk.Text, _errorMidLine);
        else
            _outputMidLine = await WriteLinesAsync(output, chunk.Text, _outputMidLine);
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

    /// <summary>Writes <paramref name="text"/> with the step's mark at the start of each line; answers whether it ended mid-line.</summary>
    private async Task<bool> WriteLinesAsync(TextWriter writer, string text, bool midLine)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var last = i == lines.Length - 1;
            if (last && lines[i].Length == 0)
                return false;
            await writer.WriteAsync((midLine ? "" : $"  {step} | ") + lines[i].TrimEnd('\r'));
            if (!last)
                await writer.WriteLineAsync();
            midLine = last;
        }
        return midLine;
    }
}
