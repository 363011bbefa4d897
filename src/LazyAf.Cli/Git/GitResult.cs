namespace LazyAf.Cli.Git;

/// <summary>How one git run ended: its exit code and everything it printed.</summary>
internal sealed record GitResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>
    /// git's most telling line of stderr: the server's own first <c>remote: error:</c> or <c>remote: fatal:</c> line (why a
    /// push was refused; git's local "remote unpack failed" says only that it was), else the first <c>fatal:</c> or
    /// <c>error:</c> line, else the last line.
    /// </summary>
    public string ErrorLine
    {
        get
        {
            var lines = Lines;
            return ServerReason
                ?? lines.FirstOrDefault(l => l.StartsWith("fatal:", StringComparison.Ordinal) || l.StartsWith("error:", StringComparison.Ordinal))
                ?? lines.LastOrDefault()
                ?? $"exit code {ExitCode}";
        }
    }

    /// <summary>The server's first <c>remote: error:</c> or <c>remote: fatal:</c> line, or null when it gave none.</summary>
    public string? ServerReason =>
        Lines.FirstOrDefault(l => l.StartsWith("remote: error:", StringComparison.Ordinal) || l.StartsWith("remote: fatal:", StringComparison.Ordinal));

    private string[] Lines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
