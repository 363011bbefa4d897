namespace LazyAf.Cli.Git;

/// <summary>A git repository on the user's disk, as far as ingest and land need it.</summary>
internal sealed class LocalRepository
{
    private readonly GitProcess _git;

    private LocalRepository(string path, GitProcess git)
    {
        Path = path;
        _git = git;
    }

    public string Path { get; }

    /// <summary>
    /// The repository at <paramref name="path"/>, its git given the credential for <paramref name="connection"/>'s server
    /// (only for that URL); a <see cref="CliFailure"/> when there is none.
    /// </summary>
    public static async Task<LocalRepository> OpenAsync(string path, CliContext context, Connection connection, CancellationToken ct)
    {
        if (!Directory.Exists(path))
            throw new CliFailure(File.Exists(path) ? $"{path} is a file, not a git repository" : $"{path} does not exist");
        var git = new GitProcess(path, CredentialHelper.EnvironmentFor(context.Environment, connection));
        if (!(await git.TryAsync(["rev-parse", "--git-dir"], ct)).Succeeded)
            throw new CliFailure($"{path} is not a git repository");
        return new LocalRepository(path, git);
    }

    /// <summary>The branch HEAD points at (which may have no commits yet); null when HEAD is detached.</summary>
    public async Task<string?> CurrentBranchAsync(CancellationToken ct)
    {
        var result = await _git.TryAsync(["symbolic-ref", "--quiet", "--short", "HEAD"], ct);
        return result.Succeeded ? result.Output.Trim() : null;
    }

    /// <summary>True when <paramref name="branch"/> exists locally and has a commit.</summary>
    public async Task<bool> HasBranchAsync(string branch, CancellationToken ct) =>
        (await _git.TryAsync(["rev-parse", "--verify", "--quiet", $"refs/heads/{branch}^{{commit}}"], ct)).Succeeded;

    /// <summary>The URL of <paramref name="remote"/>, or null when there is no such remote.</summary>
    public async Task<string?> RemoteUrlAsync(string remote, CancellationToken ct)
    {
        // A name like "--all" would be read as an option; no remote can be called that anyway.
        if (remote.StartsWith('-'))
            return null;
        var result = await _git.TryAsync(["remote", "get-url", remote], ct);
        return result.Succeeded ? result.Output.Trim() : null;
    }

    /// <summary>Points <paramref name="remote"/> at <paramref name="url"/>, adding the remote when it is new.</summary>
    public async Task SetRemoteAsync(string remote, string url, CancellationToken ct)
    {
        var exists = await RemoteUrlAsync(remote, ct) is not null;
        await _git.RunAsync(exists ? ["remote", "set-url", remote, url] : ["remote", "add", remote, url], ct);
    }

    /// <summary>
    /// Makes <c>lazyaf git-credential</c> the only credential helper for <paramref name="server"/> in <paramref name="scope"/>
    /// (<c>--local</c> or <c>--global</c>); false with git's reason when that config cannot be written.
    /// </summary>
    public async Task<(bool Written, string Reason)> SetCredentialHelperAsync(string scope, Uri server, string? dataDir, CancellationToken ct)
    {
        // git writes a config by renaming a new file over it: pointed at a device such as /dev/null (as CI jobs often
        // set GIT_CONFIG_GLOBAL), that would replace the device with a plain file.
        if (scope == "--global" && _git.Variable("GIT_CONFIG_GLOBAL") is { } global && global.StartsWith("/dev/", StringComparison.Ordinal))
            return (false, $"GIT_CONFIG_GLOBAL is {global}, not a file");
        var entries = CredentialHelper.ConfigFor(server, dataDir);
        // Exit code 5: there was nothing to unset.
        var unset = await _git.TryAsync(["config", scope, "--unset-all", entries[0].Key], ct);
        if (!unset.Succeeded && unset.ExitCode != 5)
            return (false, unset.ErrorLine);
        foreach (var (key, value) in entries)
        {
            var add = await _git.TryAsync(["config", scope, "--add", key, value], ct);
            if (!add.Succeeded)
                return (false, add.ErrorLine);
        }
        return (true, "");
    }

    /// <summary>Counts local refs under <paramref name="prefix"/> (e.g. <c>refs/tags</c>).</summary>
    public async Task<int> CountRefsAsync(string prefix, CancellationToken ct) => (await RefsAsync(prefix, ct)).Count;

    /// <summary>The refs under <paramref name="prefix"/> (e.g. <c>refs/remotes/origin/</c>), full names, symbolic ones left out.</summary>
    public async Task<IReadOnlyList<string>> RefsAsync(string prefix, CancellationToken ct) =>
        [.. (await _git.RunAsync(["for-each-ref", "--format=%(refname) %(symref)", prefix], ct))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .Where(parts => parts is [_, ""] or [_])
            .Select(parts => parts[0])];

    /// <summary>Fetches <paramref name="branch"/> from <paramref name="url"/>; its sha, or null when the remote has no such branch.</summary>
    public async Task<string?> FetchBranchAsync(string url, string branch, CancellationToken ct)
    {
        var fetch = await _git.TryAsync(["fetch", "--quiet", "--no-tags", url, $"refs/heads/{branch}"], ct);
        if (fetch.Succeeded)
            return await _git.RunAsync(["rev-parse", "--verify", "FETCH_HEAD^{commit}"], ct);
        // Exit code 2 is ls-remote's "no matching refs": the branch is missing, not the server.
        var probe = await _git.TryAsync(["ls-remote", "--exit-code", url, $"refs/heads/{branch}"], ct);
        return probe.ExitCode == 2 ? null : throw new CliFailure($"cannot fetch {branch} from {url}: {fetch.ErrorLine}");
    }

    /// <summary>Pushes <paramref name="refspecs"/> to <paramref name="remote"/>; rejections are in the report, not thrown.</summary>
    public async Task<PushReport> PushAsync(string remote, IReadOnlyList<string> refspecs, bool force, CancellationToken ct)
    {
        List<string> args = ["push", "--porcelain"];
        if (force)
            args.Add("--force");
        args.Add(remote);
        args.AddRange(refspecs);
        return PushReport.Parse(await _git.TryAsync(args, ct));
    }

    /// <summary>
    /// Fetches every branch of <paramref name="remote"/> (a remote's name or a URL) into its remote-tracking refs, or where
    /// <paramref name="refspec"/> says, dropping those it no longer has.
    /// </summary>
    public async Task FetchAsync(string remote, string? refspec, CancellationToken ct)
    {
        var fetch = await _git.TryAsync(refspec is null ? ["fetch", "--quiet", "--prune", "--no-tags", remote] : ["fetch", "--quiet", "--prune", "--no-tags", remote, refspec], ct);
        if (!fetch.Succeeded)
            throw new CliFailure($"cannot fetch from {remote}: {fetch.ErrorLine}");
    }

    /// <summary>The commit <paramref name="reference"/> points at.</summary>
    public Task<string> ShaAsync(string reference, CancellationToken ct) => _git.RunAsync(["rev-parse", "--verify", $"{reference}^{{commit}}"], ct);

    /// <summary>How many commits <paramref name="to"/> has that <paramref name="from"/> lacks.</summary>
    public async Task<int> CountCommitsAsync(string from, string to, CancellationToken ct) =>
        int.Parse(await _git.RunAsync(["rev-list", "--count", $"{from}..{to}"], ct), System.Globalization.CultureInfo.InvariantCulture);
}
