using System.Diagnostics;
using System.Text;

namespace LazyAf.Modules.Repos.Domain;

/// <summary>Runs the real <c>git</c> program against one repository, with an environment that inherits no stray <c>GIT_*</c> settings.</summary>
internal sealed class GitCli
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public bool Succeeded => ExitCode == 0;
    }

    /// <summary>Starts git with all three streams redirected; the caller owns the process. <paramref name="gitDir"/> is null only for <c>git init</c>.</summary>
    public static Process Start(string? gitDir, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = gitDir ?? Path.GetTempPath(),
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        if (gitDir is not null)
            start.Environment["GIT_DIR"] = gitDir;
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return Process.Start(start) ?? throw new InvalidOperationException("git could not be started.");
    }

    /// <summary>Runs git to completion and captures its output.</summary>
    public static async Task<Result> RunAsync(string? gitDir, IEnumerable<string> args, CancellationToken ct, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(gitDir, args, environment);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Reads a stream to its end but keeps only the last <paramref name="limit"/> characters (git's stderr on failure).</summary>
    public static async Task<string> TailAsync(StreamReader reader, int limit)
    {
        var tail = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            tail.Append(buffer, 0, read);
            if (tail.Length > limit)
                tail.Remove(0, tail.Length - limit);
        }
        return tail.ToString();
    }
}
