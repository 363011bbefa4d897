using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary>
/// The lazyaf CLI run in-process as a user would type it: its own working directory, LAZYAF_SERVER
/// pointing at one server, LAZYAF_DATA_DIR at that server's data directory (where the CLI finds the owner's
/// token, as the owner's CLI does in ~/.lazyaf), and the tests' isolated git environment for every git it starts.
/// </summary>
public sealed class LazyafCli(string serverUrl, IReadOnlyDictionary<string, string>? environment = null)
{
    /// <summary>The CLI of the host's owner.</summary>
    public LazyafCli(LazyAfHost host)
        : this(host.BaseUrl, new Dictionary<string, string> { ["LAZYAF_DATA_DIR"] = host.DataDir })
    {
    }

    public Task<CliResult> RunAsync(string workDir, params string[] args) => RunAsync(workDir, args, CancellationToken.None);

    /// <summary>Runs the CLI with <paramref name="input"/> piped into its stdin.</summary>
    public async Task<CliResult> RunWithInputAsync(string workDir, string input, params string[] args)
    {
        using var stdin = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(input));
        return await RunAsync(workDir, args, stdin, CancellationToken.None);
    }

    /// <summary>Runs the CLI until it ends; cancelling <paramref name="ct"/> is the user's Ctrl-C.</summary>
    public Task<CliResult> RunAsync(string workDir, string[] args, CancellationToken ct) => RunAsync(workDir, args, Stream.Null, ct);

    private async Task<CliResult> RunAsync(string workDir, string[] args, Stream stdin, CancellationToken ct)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var variables = new Dictionary<string, string>(TestGit.Environment) { ["LAZYAF_SERVER"] = serverUrl };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            variables[key] = value;
        var exitCode = await CliApp.RunAsync(args, new CliContext(output, error, workDir, variables) { InputStream = stdin }, ct);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}

/// <summary>How one CLI run ended, with the assertions every test makes about it.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The repo id ingest printed (<c>(id …)</c>).</summary>
    public string RepoId => System.Text.RegularExpressions.Regex.Match(Output, @"\(id ([0-9a-f]{32})\)").Groups[1].Value;

    public CliResult AssertSucceeded()
    {
        AssertExitedZero();
        Assert.Empty(Error);
        return this;
    }

    /// <summary>Exit code 0, with whatever a step it followed printed to stderr.</summary>
    public CliResult AssertExitedZero()
    {
        Assert.True(ExitCode == 0, $"lazyaf exited {ExitCode}: {Error}");
        return this;
    }

    /// <summary>Exit code 1 and exactly one line on stderr, starting with <c>lazyaf: </c>; returns that line.</summary>
    public string AssertFailedWithOneLine(int exitCode = 1)
    {
        Assert.True(ExitCode == exitCode, $"expected exit {exitCode}, got {ExitCode}; stdout: {Output}; stderr: {Error}");
        var line = Assert.Single(ErrorLines);
        Assert.StartsWith("lazyaf: ", line, StringComparison.Ordinal);
        return line;
    }
}
