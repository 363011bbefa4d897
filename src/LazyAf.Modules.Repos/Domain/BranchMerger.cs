using System.Collections.Concurrent;
using LazyAf.Kernel;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Repos.Data;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MergeResult = LazyAf.Modules.Repos.Contracts.MergeResult;

namespace LazyAf.Modules.Repos.Domain;

/// <summary>
/// Merges in the bare repo with no working tree: LibGit2Sharp computes the merged tree and writes
/// the commit; <c>git update-ref</c> moves the branch only if it still points where the merge
/// started, so a push racing the merge is never overwritten.
/// </summary>
internal sealed class BranchMerger(
    BareRepositories repos,
    RepoStore store,
    BranchRefs refs,
    IOptions<ReposOptions> options,
    TimeProvider clock,
    ILogger<BranchMerger> logger) : IBranchMerger
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> RepoLocks = new();

    public async Task<MergeResult> MergeAsync(MergeRequest request, CancellationToken ct)
    {
        if (!Ids.IsValid(request.RepoId) || await store.FindAsync(request.RepoId, ct) is null)
            return Rejected($"There is no repo '{request.RepoId}'.");
        if (RepoRules.CheckBranch(request.TargetBranch, "target branch") is { } badTarget)
            return Rejected(badTarget);
        if (RepoRules.CheckRevision(request.Source, "source") is { } badSource)
            return Rejected(badSource);

        var gate = RepoLocks.GetOrAdd(request.RepoId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            return await MergeLockedAsync(request, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<MergeResult> MergeLockedAsync(MergeRequest request, CancellationToken ct)
    {
        var path = repos.PathOf(request.RepoId);
        var targetRef = "refs/heads/" + request.TargetBranch;
        string oldSha, newSha;
        MergeOutcome outcome;
        using (var repo = new Repository(path))
        {
            if (repo.Refs[targetRef]?.ResolveToDirectReference()?.Target is not Commit target)
                return Rejected($"Branch '{request.TargetBranch}' does not exist.");
            if (Resolve(repo, request.Source) is not { } source)
                return Rejected($"'{request.Source}' is not a branch or commit of this repo.", target.Sha);

            oldSha = target.Sha;
            var mergeBase = repo.ObjectDatabase.FindMergeBase(source, target);
            if (source.Sha == target.Sha || mergeBase?.Sha == source.Sha)
                return new MergeResult(MergeOutcome.UpToDate, target.Sha, []);

            if (mergeBase?.Sha == target.Sha)
            {
                (outcome, newSha) = (MergeOutcome.FastForward, source.Sha);
            }
            else
            {
                var merged = repo.ObjectDatabase.MergeCommits(target, source, new MergeTreeOptions { FailOnConflict = false });
                if (merged.Status == MergeTreeStatus.Conflicts)
                {
                    var paths = merged.Conflicts.Select(c => c.Ours?.Path ?? c.Theirs?.Path ?? c.Ancestor?.Path ?? "")
                        .Where(p => p.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
                    return new MergeResult(MergeOutcome.Conflict, target.Sha, paths);
                }
                var signature = Signature();
                var message = request.Message ?? $"Merge {request.Source} into {request.TargetBranch}";
                var commit = repo.ObjectDatabase.CreateCommit(signature, signature, message, merged.Tree, [target, source], prettifyMessage: true);
                (outcome, newSha) = (MergeOutcome.MergeCommit, commit.Sha);
            }
        }

        if (!await refs.MoveAsync(request.RepoId, targetRef, oldSha, newSha, "merge", $"merge {request.Source}", ct))
            return Rejected($"Branch '{request.TargetBranch}' moved while merging; try again.", oldSha);

        logger.LogInformation("Merged {Source} into {Target} of repo {RepoId}: {Outcome} {Sha}", request.Source, request.TargetBranch, request.RepoId, outcome, newSha);
        return new MergeResult(outcome, newSha, []);
    }

    private static Commit? Resolve(Repository repo, string source)
    {
        var branch = repo.Refs["refs/heads/" + source]?.ResolveToDirectReference()?.Target as Commit;
        if (branch is not null)
            return branch;
        try
        {
            return repo.Lookup<Commit>(source);
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    private LibGit2Sharp.Signature Signature() => new(
        options.Value.CommitterName,
        options.Value.CommitterEmail,
        clock.GetUtcNow());

    private static MergeResult Rejected(string reason, string? targetSha = null) =>
        new(MergeOutcome.Rejected, targetSha, [], reason);
}
