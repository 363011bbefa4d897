using LazyAf.Runner.Logs;
using LazyAf.Runner.Processes;

namespace LazyAf.Runner.Git;

/// <summary>
/// The real <c>git</c> program in the workspace. Its environment drops every inherited <c>GIT_*</c>
/// variable (a runner started from a git hook must not act on the hook's repository) and never prompts. An
/// <c>https://</c> server's certificate must chain to <paramref name="caFile"/> when one is given.
/// </summary>
internal sealed class GitCli(string workspace, string? token, string? caFile, LogShipper log, TimeSpan killGrace)
{
    /// <summary>Runs git with its command line and output in the log; a failure fails the run with git's reason.</summary>
    public async Task RunAsync(IReadOnlyList<string> args, CancellationToken ct, IReadOnlyDictionary<string, string>? environment = null)
    {
        await log.SystemAsync("$ git " + string.Join(' ', args));
        var output = new GitOutput(log);
        var exitCode = await SessionProcess.RunAsync(Command(args, environment), output, killGrace, ct);
        if (exitCode != 0)
            throw new StepFailedException($"git {args[0]} failed (exit code {exitCode}): {output.ErrorReason}");
    }

    /// <summary>Runs git without logging and returns its trimmed stdout, or null when it answers with a non-zero exit.</summary>
    public async Task<string?> AskAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var output = new GitOutput(null);
        var exitCode = await SessionProcess.RunAsync(Command(args, null), output, killGrace, ct);
        return exitCode == 0 ? output.Stdout : null;
    }

    private ProcessCommand Command(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? extra)
    {
        var environment = ProcessCommand.InheritedEnvironment();
        foreach (var key in environment.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal)).ToList())
            environment.Remove(key);
        environment["GIT_TERMINAL_PROMPT"] = "0";
        // The same as `-c key=value`, but through the environment: a command line is readable by every user in
        // /proc, and neither way writes the token into .git/config or the log.
        List<(string Key, string Value)> settings = [];
        if (!string.IsNullOrEmpty(token))
            settings.Add(("http.extraHeader", "Authorization: Bearer " + token));
        if (!string.IsNullOrEmpty(caFile))
            settings.Add(("http.sslCAInfo", caFile));
        environment["GIT_CONFIG_COUNT"] = settings.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < settings.Count; i++)
        {
            environment[$"GIT_CONFIG_KEY_{i}"] = settings[i].Key;
            environment[$"GIT_CONFIG_VALUE_{i}"] = settings[i].Value;
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            environment[key] = value;
        return new ProcessCommand("git", args, workspace, environment);
    }

    /// <summary>An abbreviated sha for log lines.</summary>
    public static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
