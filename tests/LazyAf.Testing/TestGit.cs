using System.Collections.Concurrent;
using System.Diagnostics;

namespace LazyAf.Testing;

/// <summary>The real git CLI, isolated from the machine's user and system config so tests behave the same everywhere.</summary>
public static class TestGit
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public bool Succeeded => ExitCode == 0;
    }

    /// <summary>Runs git in <paramref name="workDir"/>; throws with git's stderr when it fails.</summary>
    public static async Task<string> RunAsync(string workDir, params string[] args)
    {
        var result = await TryAsync(workDir, args);
        if (!result.Succeeded)
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed ({result.ExitCode}): {result.Error}");
        return result.Output.Trim();
    }

    /// <summary>Runs git and returns what happened, for tests that expect failure.</summary>
    public static Task<Result> TryAsync(string workDir, params string[] args) => TryWithAsync(Environment, workDir, args);

    /// <summary>Runs git with exactly <paramref name="environment"/> on top of this process's (e.g. <see cref="BaseEnvironment"/>: no host's credential).</summary>
    public static async Task<Result> TryWithAsync(IReadOnlyDictionary<string, string> environment, string workDir, params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        foreach (var arg in args)
            start.ArgumentList.Add(arg);

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await output, await error);
    }

    // Hosts the tests' git may talk to, by base URL, with a way to read each one's owner token when git runs.
    private static readonly ConcurrentDictionary<string, Func<string?>> Credentials = new(StringComparer.Ordinal);

    /// <summary>
    /// The environment every git the tests run gets (also for programs that run git themselves, like the CLI): <see cref="BaseEnvironment"/>
    /// plus, for each host registered with <see cref="Authorize"/>, its owner token as an <c>http.URL.extraHeader</c> for that host only.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            var environment = new Dictionary<string, string>(BaseEnvironment);
            var headers = Credentials.Select(c => (Url: c.Key, Token: c.Value())).Where(c => c.Token is not null).ToList();
            for (var i = 0; i < headers.Count; i++)
            {
                environment[$"GIT_CONFIG_KEY_{i}"] = $"http.{headers[i].Url}/.extraHeader";
                environment[$"GIT_CONFIG_VALUE_{i}"] = "Authorization: Bearer " + headers[i].Token;
            }
            if (headers.Count > 0)
                environment["GIT_CONFIG_COUNT"] = headers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return environment;
        }
    }

    /// <summary>From now on the tests' git sends <paramref name="baseUrl"/> the token <paramref name="token"/> reads (none while it reads null).</summary>
    public static void Authorize(string baseUrl, Func<string?> token) => Credentials[baseUrl.TrimEnd('/')] = token;

    /// <summary>Stops sending <paramref name="baseUrl"/> a token.</summary>
    public static void Forget(string baseUrl) => Credentials.TryRemove(baseUrl.TrimEnd('/'), out _);

    /// <summary>The isolated git environment without any host's credential: what a user's plain git has.</summary>
    public static IReadOnlyDictionary<string, string> BaseEnvironment { get; } = new Dictionary<string, string>
    {
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_AUTHOR_NAME"] = "Test Author",
        ["GIT_AUTHOR_EMAIL"] = "author@example.test",
        ["GIT_COMMITTER_NAME"] = "Test Committer",
        ["GIT_COMMITTER_EMAIL"] = "committer@example.test",
    };

    /// <summary>A new repository with one commit on <paramref name="branch"/>.</summary>
    public static async Task<string> InitAsync(string path, string branch = "main")
    {
        Directory.CreateDirectory(path);
        await RunAsync(path, "init", "--quiet", "--initial-branch", branch);
        await CommitFileAsync(path, "README.md", "# test repo\n", "Initial commit");
        return path;
    }

    /// <summary>Writes a file and commits it; returns the new commit's sha.</summary>
    public static async Task<string> CommitFileAsync(string repo, string file, string content, string message)
    {
        var full = System.IO.Path.Combine(repo, file);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, content);
        await RunAsync(repo, "add", "--", file);
        await RunAsync(repo, "commit", "--quiet", "-m", message);
        return await RunAsync(repo, "rev-parse", "HEAD");
    }

    /// <summary>Every ref of a repo (local or remote URL) as name → sha, from <c>git ls-remote</c>.</summary>
    public static async Task<Dictionary<string, string>> LsRemoteAsync(string workDir, string remote)
    {
        var output = await RunAsync(workDir, "ls-remote", remote);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(parts => parts[1] != "HEAD" && !parts[1].EndsWith("^{}", StringComparison.Ordinal))
            .ToDictionary(parts => parts[1], parts => parts[0]);
    }
}
