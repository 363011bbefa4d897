using System.Text.RegularExpressions;
using LazyAf.Runner.Logs;

namespace LazyAf.Runner.Git;

/// <summary>Where the checkout left the workspace.</summary>
/// <param name="StartSha">HEAD before the step ran.</param>
/// <param name="RemoteSha">The work branch's tip on the remote, or null when the branch is new.</param>
internal sealed record CheckedOut(string StartSha, string? RemoteSha);

/// <summary>
/// Brings the workspace to the work branch: clone (empty workspace), fetch (earlier checkout of the same work) or
/// a new clone's <c>.git</c> under the files another step left (a reused workspace), then the
/// remote work branch if it exists, so a retry continues it, else a new branch from the base. A clone borrows the
/// objects of the runner's <see cref="GitObjectCache"/> when it has one, so it receives only what the cache lacks.
/// </summary>
internal static partial class WorkBranchCheckout
{
    // Where a reused workspace's new clone is made, inside it, before its .git moves into place.
    private const string NewClone = ".lazyaf-clone";

    public static async Task<CheckedOut> RunAsync(GitCli git, RepoCheckout repo, string workspace, GitObjectCache? cache, bool reused, LogShipper log, CancellationToken ct)
    {
        RequireBranchName(repo.WorkBranch);
        RequireBranchName(repo.BaseBranch);
        if (repo.BaseCommit is not null && !CommitId().IsMatch(repo.BaseCommit))
            throw new StepFailedException($"base commit '{repo.BaseCommit}' is not a commit id");

        reused = reused && Directory.EnumerateFileSystemEntries(workspace).Any();
        if (reused)
        {
            await RecloneAsync(git, repo, workspace, cache, log, ct);
        }
        else if (Directory.Exists(Path.Combine(workspace, ".git")))
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
            await CloneAsync(git, repo, ".", cache, log, ct);
        }

        var remoteSha = await git.AskAsync(["rev-parse", "--verify", "--quiet", $"refs/remotes/origin/{repo.WorkBranch}^{{commit}}"], ct);
        var start = remoteSha is not null ? $"refs/remotes/origin/{repo.WorkBranch}" : repo.BaseCommit ?? $"refs/remotes/origin/{repo.BaseBranch}";
        if (await git.AskAsync(["rev-parse", "--verify", "--quiet", start + "^{commit}"], ct) is null)
            throw new StepFailedException(repo.BaseCommit is null ? $"base branch '{repo.BaseBranch}' does not exist on the remote" : $"base commit {repo.BaseCommit} is not in the repository");

        if (reused)
        {
            await ResetFilesAsync(git, workspace, start, ct);
            await git.RunAsync(["checkout", "--quiet", "--force", "--no-track", "-B", repo.WorkBranch, start], ct);
        }
        else
        {
            await git.RunAsync(["checkout", "--quiet", "--force", "--no-track", "-B", repo.WorkBranch, start], ct);
            // Leftovers of an earlier run in this workspace go; ignored files (build caches, .lazyaf-context) stay.
            await git.RunAsync(["clean", "--quiet", "-d", "--force"], ct);
        }
        var head = await git.AskAsync(["rev-parse", "HEAD"], ct) ?? throw new StepFailedException("checkout left no HEAD");
        await log.SystemAsync(remoteSha is not null
            ? $"checked out {repo.WorkBranch} at {GitCli.Short(head)} (continuing the existing branch)"
            : $"checked out {repo.WorkBranch} at {GitCli.Short(head)} (new branch from {repo.BaseCommit ?? repo.BaseBranch})");
        return new CheckedOut(head, remoteSha);
    }

    /// <summary>
    /// Replaces the <c>.git</c> another step left with a new clone's: nothing that step could have planted there runs
    /// for this one or changes what git shows (hooks; config such as filter drivers, aliases or <c>core.fsmonitor</c>;
    /// <c>info/attributes</c>, <c>info/exclude</c>, <c>info/sparse-checkout</c>; refs, replace refs, objects, alternates).
    /// The clone borrows from the object cache as a first clone does, so it is as quick; the files stay for
    /// <see cref="ResetFilesAsync"/>.
    /// </summary>
    private static async Task RecloneAsync(GitCli git, RepoCheckout repo, string workspace, GitObjectCache? cache, LogShipper log, CancellationToken ct)
    {
        await log.SystemAsync("reusing a workspace of this repo: its files stay, its .git is a new clone's");
        // Deleted first, so the clone made inside the workspace finds no repository around it.
        DeleteEntry(Path.Combine(workspace, ".git"));
        var newClone = Path.Combine(workspace, NewClone);
        DeleteEntry(newClone);
        await CloneAsync(git, repo, NewClone, cache, log, ct);
        Directory.Move(Path.Combine(newClone, ".git"), Path.Combine(workspace, ".git"));
        Directory.Delete(newClone, recursive: true);
    }

    // A clone without its files, borrowing the object cache's objects when there is one (refreshed first).
    private static async Task CloneAsync(GitCli git, RepoCheckout repo, string directory, GitObjectCache? cache, LogShipper log, CancellationToken ct)
    {
        var reference = cache is null ? null : await cache.RefreshAsync(repo, log, ct);
        string[] borrowing = reference is null ? [] : ["--reference", reference];
        await git.RunAsync(["clone", "--quiet", "--no-checkout", .. borrowing, "--", repo.CloneUrl, directory], ct);
    }

    /// <summary>
    /// Makes the index <paramref name="start"/>'s tree with the stat data of the files that already hold its content,
    /// so the checkout writes only the files that differ (writing all of them again is what is slow on a big tree). The
    /// index is built anew, not kept: flags such as assume-unchanged would hide a file the last step changed.
    /// </summary>
    private static async Task ResetFilesAsync(GitCli git, string workspace, string start, CancellationToken ct)
    {
        await git.RunAsync(["read-tree", start], ct);
        // Untracked and ignored files go, nested repositories too: nothing the last step made stays.
        await git.RunAsync(["clean", "--quiet", "-d", "-x", "--force", "--force"], ct);
        // Compared under the tree's own attributes (read from the index), not ones the last step edited into the files.
        foreach (var attributes in Directory.EnumerateFiles(workspace, ".gitattributes", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            if (!attributes.StartsWith(Path.Combine(workspace, ".git") + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                File.Delete(attributes);
        }
        // Non-zero when files differ: the checkout writes those.
        await git.AskAsync(["update-index", "-q", "--refresh"], ct);
    }

    private static void DeleteEntry(string path)
    {
        var entry = new FileInfo(path);
        if (entry.LinkTarget is not null || entry.Exists)
            entry.Delete();
        else if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
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
