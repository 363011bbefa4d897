namespace LazyAf.Cli.Git;

/// <summary>How one git run ended: its exit code and everything it printed.</summary>
internal sealed record GitResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>git's most telling line of stderr: the first <c>fatal:</c> or <c>error:</c> line, else the last line.</summary>
    public string ErrorLine
    {
        get
        {
            var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.FirstOrDefault(l => l.StartsWith("fatal:", StringComparison.Ordinal) || l.StartsWith("error:", StringComparison.Ordinal))
                ?? lines.LastOrDefault()
                ?? $"exit code {ExitCode}";
        }
    }
}
