using LazyAf.Runner.Logs;
using LazyAf.Runner.Workspace;

namespace LazyAf.Runner.Git;

/// <summary>What was pushed.</summary>
/// <param name="Sha">The work branch's head, now on the remote.</param>
/// <param name="Changed">True when the step's work moved the branch (a commit by the runner or by the step itself).</param>
internal sealed record Pushed(string Sha, bool Changed);

/// <summary>
/// Commits what the step changed, as far as its <see cref="CommitScope"/> asks, says so in the log, and pushes the work
/// branch, so the work can be reviewed (or a failure inspected).
/// </summary>
internal static class WorkBranchPush
{
    /// <summary>How many file names a log line lists before it only counts.</summary>
    private const int NamesListed = 10;

    public static async Task<Pushed> RunAsync(GitCli git, string workspace, CheckedOut checkout, StepSpec spec, CommitSettings commit, LogShipper log, CancellationToken ct)
    {
        var branch = spec.Repo.WorkBranch;
        await git.RunAsync(["add", "--all"], ct);
        // What the runner wrote is in .git/info/exclude, which a tracked file or a '!' re-include in .gitignore
        // beats: unstaged whatever the ignore files say.
        string[] neverCommitted = [ContextDirectory.Name, .. spec.Files.Keys];
        await git.RunAsync(["reset", "--quiet", "--", .. neverCommitted], ct);
        var staged = await StagedAsync(git, ct);
        var (kept, leftOut) = CommitPaths.Split(staged, commit.Scope);
        if (leftOut.Count > 0)
            await UnstageAsync(git, workspace, leftOut, kept.Count == 0, ct);
        if (kept.Count > 0)
        {
            var identity = new Dictionary<string, string>
            {
                ["GIT_AUTHOR_NAME"] = commit.AuthorName,
                ["GIT_AUTHOR_EMAIL"] = commit.AuthorEmail,
                ["GIT_COMMITTER_NAME"] = commit.AuthorName,
                ["GIT_COMMITTER_EMAIL"] = commit.AuthorEmail,
            };
            // gpgsign off: a signing setting in the machine's git config would otherwise stop an unattended commit.
            await git.RunAsync(
                ["-c", $"user.name={commit.AuthorName}", "-c", $"user.email={commit.AuthorEmail}", "-c", "commit.gpgsign=false",
                 "commit", "--quiet", "--allow-empty-message", "-m", commit.Message],
                ct,
                identity);
        }
        await log.SystemAsync(await CommittedAsync(git, commit.Scope, kept, leftOut, ct));

        var head = await git.AskAsync(["rev-parse", "HEAD"], ct) ?? throw new StepFailedException("no HEAD to push");
        // The step's own commits too: a step that force-added its secrets file is not pushed.
        if (spec.Files.Count > 0 && await git.AskAsync(["log", "--format=%h", $"{checkout.StartSha}..{head}", "--", .. spec.Files.Keys], ct) is { Length: > 0 } offending)
            throw new StepFailedException(
                $"commit {offending.Split('\n')[0]} of this step adds the repo's secrets_file ({string.Join(", ", spec.Files.Keys)}); the branch was not pushed");
        var changed = head != checkout.StartSha;
        if (head == checkout.RemoteSha)
        {
            await log.SystemAsync($"nothing changed; {branch} stays at {GitCli.Short(head)}");
            return new Pushed(head, changed);
        }
        // Also when nothing changed but the branch is new: it must exist for review.
        string[] push = ["push", "--quiet", "origin", $"HEAD:refs/heads/{branch}"];
        if (await git.AskAsync(push, ct) is null)
        {
            // Parallel steps of one run share its branch: the first to create it wins the race and git refuses the
            // second creation. Already there is as good as pushed; else this work goes on top of what the other pushed.
            if (await RemoteTipAsync(git, branch, ct) == head)
            {
                await log.SystemAsync($"{branch} is at {GitCli.Short(head)} already (pushed by a parallel step)");
                return new Pushed(head, changed);
            }
            await git.RunAsync(push, ct);
        }
        await log.SystemAsync($"pushed {branch} at {GitCli.Short(head)}");
        return new Pushed(head, changed);
    }

    /// <summary>Every path the index now differs from HEAD in (added, changed, deleted; a rename as both its paths).</summary>
    private static async Task<List<string>> StagedAsync(GitCli git, CancellationToken ct) =>
        [.. (await git.AskAsync(["diff", "--cached", "--name-only", "--no-renames", "-z"], ct) ?? "").Split('\0', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>Takes <paramref name="paths"/> out of the index again; they stay in the workspace as the step left them.</summary>
    private static async Task UnstageAsync(GitCli git, string workspace, List<string> paths, bool all, CancellationToken ct)
    {
        if (all)
        {
            await git.RunAsync(["reset", "--quiet"], ct);
            return;
        }
        // Through a file: a step can leave more paths than a command line holds.
        var list = Path.Combine(workspace, ".git", "lazyaf-left-out");
        await File.WriteAllTextAsync(list, string.Join('\0', paths), ct);
        try
        {
            await git.RunAsync(["reset", "--quiet", $"--pathspec-from-file={list}", "--pathspec-file-nul"], ct,
                new Dictionary<string, string> { ["GIT_LITERAL_PATHSPECS"] = "1" });
        }
        finally
        {
            File.Delete(list);
        }
    }

    /// <summary>The log line that says what was committed and what was left out.</summary>
    private static async Task<string> CommittedAsync(GitCli git, CommitScope scope, List<string> kept, List<string> leftOut, CancellationToken ct)
    {
        var left = leftOut.Count == 0 ? "" : $" ({Files(leftOut.Count)} changed left out: {Names(leftOut)})";
        if (kept.Count > 0)
        {
            var sha = await git.AskAsync(["rev-parse", "HEAD"], ct) ?? "";
            return $"committed {Files(kept.Count)} as {GitCli.Short(sha)}: {Names(kept)}{left}";
        }
        if (leftOut.Count == 0)
            return "nothing committed: the step changed no files";
        return scope.Enabled
            ? $"nothing committed: no changed file matches commit ({string.Join(", ", scope.Paths)}){left}"
            : $"nothing committed: the step's commit is unset or false{left}";
    }

    private static string Files(int count) => count == 1 ? "1 file" : $"{count} files";

    private static string Names(List<string> paths) =>
        string.Join(", ", paths.Take(NamesListed)) + (paths.Count > NamesListed ? $", and {paths.Count - NamesListed} more" : "");

    private static async Task<string?> RemoteTipAsync(GitCli git, string branch, CancellationToken ct) =>
        (await git.AskAsync(["ls-remote", "origin", $"refs/heads/{branch}"], ct))?.Split('\t')[0] is { Length: 40 } sha ? sha : null;
}
