using LazyAf.Runner.Logs;

namespace LazyAf.Runner.Git;

/// <summary>What was pushed.</summary>
/// <param name="Sha">The work branch's head, now on the remote.</param>
/// <param name="Changed">True when the step's work moved the branch (a commit by the runner or by the step itself).</param>
internal sealed record Pushed(string Sha, bool Changed);

/// <summary>Commits what the step changed and pushes the work branch, so the work can be reviewed (or a failure inspected).</summary>
internal static class WorkBranchPush
{
    public static async Task<Pushed> RunAsync(GitCli git, CheckedOut checkout, string branch, CommitSettings commit, LogShipper log, CancellationToken ct)
    {
        // .lazyaf-context/ is in .git/info/exclude, so `add --all` leaves it out.
        await git.RunAsync(["add", "--all"], ct);
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
        var changed = head != checkout.StartSha;
        if (head == checkout.RemoteSha)
        {
            await log.SystemAsync($"nothing changed; {branch} stays at {GitCli.Short(head)}");
            return new Pushed(head, changed);
        }
        // Also when nothing changed but the branch is new: it must exist for review.
        await git.RunAsync(["push", "--quiet", "origin", $"HEAD:refs/heads/{branch}"], ct);
        await log.SystemAsync($"pushed {branch} at {GitCli.Short(head)}");
        return new Pushed(head, changed);
    }
}
