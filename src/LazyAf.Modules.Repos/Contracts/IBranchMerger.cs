namespace LazyAf.Modules.Repos.Contracts;

/// <summary>Merges branches inside LazyAF's bare repositories, without a working tree.</summary>
public interface IBranchMerger
{
    /// <summary>
    /// Merges <see cref="MergeRequest.Source"/> into <see cref="MergeRequest.TargetBranch"/>:
    /// a fast-forward when possible, else a merge commit. On a conflict nothing changes.
    /// </summary>
    Task<MergeResult> MergeAsync(MergeRequest request, CancellationToken ct);
}

/// <summary>What to merge.</summary>
/// <param name="RepoId">The repo.</param>
/// <param name="Source">A branch name or commit sha to merge from.</param>
/// <param name="TargetBranch">The branch that moves.</param>
/// <param name="Message">The merge commit's message; a default names both sides.</param>
public sealed record MergeRequest(string RepoId, string Source, string TargetBranch, string? Message = null);

/// <summary>How a merge ended.</summary>
public enum MergeOutcome
{
    /// <summary>The target moved forward to the source; no commit was made.</summary>
    FastForward,

    /// <summary>A merge commit with both tips as parents is the new target.</summary>
    MergeCommit,

    /// <summary>The source was already contained in the target; nothing changed.</summary>
    UpToDate,

    /// <summary>Both sides changed the same lines; nothing changed. See <see cref="MergeResult.ConflictingPaths"/>.</summary>
    Conflict,

    /// <summary>The merge could not be attempted (unknown repo or branch, the target moved meanwhile); see <see cref="MergeResult.Reason"/>.</summary>
    Rejected,
}

/// <summary>The result of a merge.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="TargetSha">The target's sha afterwards (unchanged on conflict), when the target exists.</param>
/// <param name="ConflictingPaths">Paths both sides changed incompatibly; empty unless <see cref="MergeOutcome.Conflict"/>.</param>
/// <param name="Reason">Why a merge was rejected.</param>
public sealed record MergeResult(MergeOutcome Outcome, string? TargetSha, IReadOnlyList<string> ConflictingPaths, string? Reason = null)
{
    /// <summary>True when the target now contains the source.</summary>
    public bool Succeeded => Outcome is MergeOutcome.FastForward or MergeOutcome.MergeCommit or MergeOutcome.UpToDate;
}
