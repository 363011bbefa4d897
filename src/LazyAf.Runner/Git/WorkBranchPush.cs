using LazyAf.Runner.Logs;
using LazyAf.Runner.Workspace;

namespace LazyAf.Runner.Git;

/// <summary>What was pushed.</summary>
/// <param name="Sha">The work branch's head, now on the remote.</param>
/// <param name="Changed">True when the step's work moved the branch (a commit by the runner or by the step itself).</param>
internal sealed record Pushed(string Sha, bool Changed);

/// <summary>Commits what the step changed and pushes the work branch, so the work can be reviewed (or a failure inspected).</summary>
internal static class WorkBranchPush
{
    public static async Task<Pushed> RunAsync(GitCli git, CheckedOut checkout, StepSpec spec, CommitSettings commit, LogShipper log, CancellationToken ct)
    {
        var branch = spec.Repo.WorkBranch;
        await git.RunAsync(["add", "--all"], ct);
        // What the runner wrote is in .git/info/exclude, which a tracked file or a '!' re-include in .gitignore
        // beats: unstaged whatever the ignore files say.
        string[] neverCommitted = [ContextDirectory.Name, .. spec.Files.Keys];
        await git.RunAsync(["reset", "--quiet", "--", .. neverCommitted], ct);
        if (await git.AskAsync(["diff", "--cached", "--quiet"], ct) is null)
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

    private static async Task<string?> RemoteTipAsync(GitCli git, string branch, CancellationToken ct) =>
        (await git.AskAsync(["ls-remote", "origin", $"refs/heads/{branch}"], ct))?.Split('\t')[0] is { Length: 40 } sha ? sha : null;
}
