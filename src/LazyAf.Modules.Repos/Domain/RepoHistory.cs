using System.Text;
using LazyAf.Modules.Repos.Contracts;
using LibGit2Sharp;

namespace LazyAf.Modules.Repos.Domain;

/// <summary>Reads branches, commits and diffs out of a bare repo, with LibGit2Sharp where it sees everything.</summary>
internal sealed class RepoHistory(BareRepositories repos)
{
    public sealed record BranchInfo(string Name, string Sha, bool IsDefault, DateTimeOffset CommittedAt, string Subject);

    public sealed record CommitInfo(string Sha, IReadOnlyList<string> Parents, string AuthorName, string AuthorEmail, DateTimeOffset AuthoredAt, string Subject, string Message);

    /// <summary>
    /// Every branch, read by git itself: libgit2's reference iterator silently skips loose refs nested very deep (a branch
    /// of 100 path segments), and a branch that cannot be listed cannot be found to delete.
    /// </summary>
    public async Task<IReadOnlyList<BranchInfo>> BranchesAsync(string repoId, string defaultBranch, CancellationToken ct)
    {
        var listed = await GitCli.RunAsync(repos.PathOf(repoId),
            ["for-each-ref", "--format=%(refname)%00%(objectname)%00%(committerdate:iso-strict)%00%(contents:subject)", "refs/heads/"], ct);
        if (!listed.Succeeded)
            throw new InvalidOperationException($"git for-each-ref failed in repo {repoId}: {listed.StandardError.Trim()}");
        return listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\0'))
            // A ref that is not a commit (a tag object or tree pushed as a branch) has no committer date.
            .Where(fields => fields is [_, _, { Length: > 0 }, _])
            .Select(fields =>
            {
                var name = fields[0]["refs/heads/".Length..];
                return new BranchInfo(name, fields[1], name == defaultBranch, DateTimeOffset.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), fields[3]);
            })
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();
    }

    public string? BranchTip(string repoId, string branch)
    {
        using var repo = Open(repoId);
        return repo.Branches[branch]?.Tip?.Sha;
    }

    /// <summary>Newest first; null when the branch does not exist.</summary>
    public IReadOnlyList<CommitInfo>? Commits(string repoId, string branch, int limit)
    {
        using var repo = Open(repoId);
        if (repo.Branches[branch]?.Tip is not { } tip)
            return null;
        var filter = new CommitFilter { IncludeReachableFrom = tip, SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Time };
        return repo.Commits.QueryBy(filter).Take(limit)
            .Select(c => new CommitInfo(c.Sha, c.Parents.Select(p => p.Sha).ToList(), c.Author.Name, c.Author.Email, c.Author.When, c.MessageShort, c.Message))
            .ToList();
    }

    /// <summary>What <paramref name="head"/> changed since it left <paramref name="base"/> (from the merge-base); null when either does not resolve.</summary>
    public RepoDiff? Diff(string repoId, string @base, string head)
    {
        using var repo = Open(repoId);
        if (Resolve(repo, @base) is not { } baseCommit || Resolve(repo, head) is not { } headCommit)
            return null;
        var mergeBase = repo.ObjectDatabase.FindMergeBase(baseCommit, headCommit);
        var options = new CompareOptions { Similarity = SimilarityOptions.Renames, ContextLines = 3 };
        using var patch = repo.Diff.Compare<Patch>(mergeBase?.Tree, headCommit.Tree, options);
        var files = patch
            .Select(change => new FileChange(
                change.Path,
                change.Status == ChangeKind.Renamed ? change.OldPath : null,
                StatusOf(change.Status),
                change.LinesAdded,
                change.LinesDeleted,
                change.IsBinaryComparison,
                change.Patch))
            .ToList();
        return new RepoDiff(baseCommit.Sha, headCommit.Sha, mergeBase?.Sha, patch.LinesAdded, patch.LinesDeleted, files);
    }

    /// <summary>Files directly under <paramref name="directory"/> on a branch; null when the branch does not exist.</summary>
    public IReadOnlyList<RepoFile>? ReadFiles(string repoId, string branch, string directory, IReadOnlyList<string> extensions)
    {
        using var repo = Open(repoId);
        if (repo.Branches[branch]?.Tip is not { } tip)
            return null;
        if (tip[directory.Trim('/')]?.Target is not Tree tree)
            return [];
        return tree
            .Where(entry => entry.TargetType == TreeEntryTargetType.Blob && extensions.Any(ext => entry.Name.EndsWith(ext, StringComparison.OrdinalIgnoreCase)))
            .Select(entry => new RepoFile(entry.Path, ((Blob)entry.Target).GetContentText(Encoding.UTF8)))
            .OrderBy(file => file.Path, StringComparer.Ordinal)
            .ToList();
    }

    private static string StatusOf(ChangeKind kind) => kind switch
    {
        ChangeKind.Added => "added",
        ChangeKind.Deleted => "deleted",
        ChangeKind.Renamed => "renamed",
        ChangeKind.Copied => "copied",
        ChangeKind.TypeChanged => "type_changed",
        _ => "modified",
    };

    private static Commit? Resolve(Repository repo, string revision)
    {
        try
        {
            return repo.Branches[revision]?.Tip ?? repo.Lookup<Commit>(revision);
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    private Repository Open(string repoId) => new(repos.PathOf(repoId));
}
