using System.Text.RegularExpressions;
using LazyAf.Runner.Logs;

namespace LazyAf.Runner.Git;

/// <summary>Where the checkout left the workspace.</summary>
/// <param name="StartSha">HEAD before the step ran.</param>
/// <param name="RemoteSha">The work branch's tip on the remote, or null when the branch is new.</param>
internal sealed record CheckedOut(string StartSha, string? RemoteSha);

/// <summary>
/// Brings the workspace to the work branch: clone (empty workspace) or fetch (earlier checkout), then the
/// remote work branch if it exists, so a retry continues it, else a new branch from the base. A clone borrows the
/// objects of the runner's <see cref="GitObjectCache"/> when it has one, so it receives only what the cache lacks.
/// </summary>
internal static partial class WorkBranchCheckout
{
    public static async Task<CheckedOut> RunAsync(GitCli git, RepoCheckout repo, string workspace, GitObjectCache? cache, LogShipper log, CancellationToken ct)
    {
        RequireBranchName(repo.WorkBranch);
        RequireBranchName(repo.BaseBranch);
        if (repo.BaseCommit is not null && !CommitId().IsMatch(repo.BaseCommit))
            throw new StepFailedException($"base commit '{repo.BaseCommit}' is not a commit id");

        if (Directory.Exists(Path.Combine(workspace, ".git")))
        {
            // The host may have moved (a new port after a restart): the spec's URL is the current one.
            await git.RunAsync(["remote", "set-url", "origin", repo.CloneUrl], ct);
            await git.RunAsync(["fetch", "--quiet", "--prune", "origin"], ct);
        }
        else if (Directory.EnumerateFileSystemEntries(workspace).Any())
        {
            throw new StepFailedException($"workspace {workspace} is neither empty nor a git checkout");
        }
        else
        {
            var reference = cache is null ? null : await cache.RefreshAsync(repo, log, ct);
            string[] borrowing = reference is null ? [] : ["--reference", reference];
            await git.RunAsync(["clone", "--quiet", "--no-checkout", .. borrowing, "--", repo.CloneUrl, "."], ct);
        }

        var remoteSha = await git.AskAsync(["rev-parse", "--verify", "--quiet", $"refs/remotes/origin/{repo.WorkBranch}^{{commit}}"], ct);
        var start = remoteSha is not null ? $"refs/remotes/origin/{repo.WorkBranch}" : repo.BaseCommit ?? $"refs/remotes/origin/{repo.BaseBranch}";
        if (await git.AskAsync(["rev-parse", "--verify", "--quiet", start + "^{commit}"], ct) is null)
            throw new StepFailedException(repo.BaseCommit is null ? $"base branch '{repo.BaseBranch}' does not exist on the remote" : $"base commit {repo.BaseCommit} is not in the repository");

        await git.RunAsync(["checkout", "--quiet", "--force", "--no-track", "-B", repo.WorkBranch, start], ct);
        // Leftovers of an earlier run in this workspace go; ignored files (build caches, .lazyaf-context) stay.
        await git.RunAsync(["clean", "--quiet", "-d", "--force"], ct);
        var head = await git.AskAsync(["rev-parse", "HEAD"], ct) ?? throw new StepFailedException("checkout left no HEAD");
        await log.SystemAsync(remoteSha is not null
            ? $"checked out {repo.WorkBranch} at {GitCli.Short(head)} (continuing the existing branch)"
            : $"checked out {repo.WorkBranch} at {GitCli.Short(head)} (new branch from {repo.BaseCommit ?? repo.BaseBranch})");
        return new CheckedOut(head, remoteSha);
    }

    /// <summary>
    /// Where an earlier checkout in this workspace started, for a run re-attached after its host died: from the
    /// remote-tracking refs that checkout fetched (not fetched again, so they still say what it saw).
    /// </summary>
    public static async Task<CheckedOut> ReattachAsync(GitCli git, RepoCheckout repo, CancellationToken ct)
    {
        RequireBranchName(repo.WorkBranch);
        RequireBranchName(repo.BaseBranch);
        // The host may have moved (a new port after the restart): the spec's URL is the current one.
        await git.RunAsync(["remote", "set-url", "origin", repo.CloneUrl], ct);
        var remoteSha = await git.AskAsync(["rev-parse", "--verify", "--quiet", $"refs/remotes/origin/{repo.WorkBranch}^{{commit}}"], ct);
        var start = remoteSha ?? await git.AskAsync(["rev-parse", "--verify", "--quiet", (repo.BaseCommit ?? $"refs/remotes/origin/{repo.BaseBranch}") + "^{commit}"], ct)
            ?? throw new StepFailedException("the workspace's checkout has neither the work branch nor its base");
        return new CheckedOut(start, remoteSha);
    }

    // A name that starts with '-' would reach git as an option; git's own rules catch the rest.
    private static void RequireBranchName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.StartsWith('-') || name.Contains("..", StringComparison.Ordinal) || name.Any(char.IsWhiteSpace))
            throw new StepFailedException($"'{name}' is not a valid branch name");
    }

    [GeneratedRegex("^[0-9a-fA-F]{4,64}$")]
    private static partial Regex CommitId();
}
