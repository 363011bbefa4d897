using System.ComponentModel;
using System.Diagnostics;

namespace LazyAf.Cli.Git;

/// <summary>
/// The real git program, run in one directory with the CLI's environment. Arguments go through
/// <see cref="ProcessStartInfo.ArgumentList"/>, never a shell string, so nothing a user types is re-parsed.
/// </summary>
internal sealed class GitProcess(string workingDirectory, IReadOnlyDictionary<string, string> environment)
{
    /// <summary>The value git sees for an environment variable: the CLI's own over the process's.</summary>
    public string? Variable(string name) => environment.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);

    /// <summary>Runs git and returns what happened, whatever the exit code.</summary>
    public async Task<GitResult> TryAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        foreach (var arg in args)
            start.ArgumentList.Add(arg);

        using var process = StartOrFail(start);
        // git asks for credentials on the terminal, not stdin; a closed stdin makes anything else fail fast.
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException) when (!process.HasExited)
        {
            // Ctrl+C: do not leave a push or fetch running behind the user's back.
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new GitResult(process.ExitCode, await output, await error);
    }

    /// <summary>Runs git and returns its trimmed stdout; when git fails, a <see cref="CliFailure"/> with git's own reason.</summary>
    public async Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var result = await TryAsync(args, ct);
        return result.Succeeded ? result.Output.Trim() : throw new CliFailure($"git {args[0]} failed: {result.ErrorLine}");
    }

    private static Process StartOrFail(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new CliFailure("cannot start git");
        }
        catch (Win32Exception)
        {
            throw new CliFailure("cannot run git: is it installed and on the PATH?");
        }
    }
}
